// Command codesign stands in for sigtool's codesign (with cctools'
// codesign_allocate) on the stand-in's aarch64-darwin builder: codesign -f
// -s - FILE... signs each 64-bit Mach-O file ad hoc, named as the file
// (internal/nixtest/machosign). It takes only what signIfRequired passes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gonix-init/gonix-init/internal/nixtest/machosign"
)

func main() {
	force := flag.Bool("f", false, "replace any existing signature")
	identity := flag.String("s", "", "the identity: - (ad hoc) alone")
	flag.Parse()
	if !*force || *identity != "-" {
		fmt.Fprintln(os.Stderr, "codesign: the stand-in signs only as signIfRequired does: codesign -f -s - FILE...")
		os.Exit(2)
	}
	for _, f := range flag.Args() {
		if err := machosign.SignFile(f); err != nil {
			fmt.Fprintln(os.Stderr, "codesign:", err)
			os.Exit(1)
		}
	}
}
