"sha256-2YD6g1Zq+TUAmvT1u0bZvxNnhM0Nb+U+BwgI3KcZhOg="
