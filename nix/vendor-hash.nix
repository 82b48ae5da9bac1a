"sha256-o5fDc/cmhRIFSOMh6riPwgWkfk7kxf4DRIvw15ZTeb8="
