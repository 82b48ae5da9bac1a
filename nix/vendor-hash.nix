"sha256-sj7DlV+WnKxqPCqPkuKWd5VH6eTbsL/9kEdg1CMVNd8="
