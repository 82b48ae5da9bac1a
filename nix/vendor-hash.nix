"sha256-f1teeSGtkX4uVjOQiNnEsLEqs+ImNEf0iepROxs3ar8="
