// A run lasts milliseconds: GOMAXPROCS from the container's CPU limit, and
// its update every second, would only cost start-up time (see
// docs/performance.md).
//
//go:debug containermaxprocs=0
//go:debug updatemaxprocs=0

package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
