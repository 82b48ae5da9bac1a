// Package machosign signs a 64-bit Mach-O file ad hoc as an aarch64-darwin
// builder of nixpkgs does after its strip touched it: the bintools
// wrapper's strip (pkgs/build-support/bintools-wrapper/darwin-strip-wrapper.sh)
// calls signIfRequired (pkgs/os-specific/darwin/signing-utils/utils.sh) on
// each file, which runs sigtool's codesign -f -s - on a copy named as the
// file: cctools' codesign_allocate makes room for the signature, then
// sigtool writes it (thefloweringash/sigtool, commands.cpp and
// signature.cpp). The stand-in has no Mac: this package is that pair as
// read, to the byte where the sources say, and a model where they do not
// (codesign_allocate's layout: see Sign).
package machosign

import (
	"bytes"
	"crypto/sha256"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The constants of Apple's code signing (cs_blobs.h), as sigtool uses them.
const (
	lcCodeSignature  = 0x1d
	magicEmbedded    = 0xfade0cc0
	magicDirectory   = 0xfade0c02
	magicRequirement = 0xfade0c01
	magicWrapper     = 0xfade0b01
	csAdhoc          = 0x2
	csLinkerSigned   = 0x20000
	hashSHA256       = 2
	execMainBinary   = 0x1
	slotRequirements = 2
	slotSignature    = 0x10000
	pageSize         = 4096
	directorySize    = 88 // sigtool's CodeDirectory header, version 0x20400
)

// RequiresSignature reports whether sigtool's check-requires-signature says
// "sign": for every 64-bit Mach-O file, signed or not, whatever its arch.
func RequiresSignature(data []byte) bool {
	return len(data) >= 4 && (binary.LittleEndian.Uint32(data) == macho.Magic64 || binary.BigEndian.Uint32(data) == macho.Magic64)
}

// SignFile signs the 64-bit Mach-O file at path ad hoc, as signIfRequired
// does: the identifier is the file's name. Any other file is left alone.
func SignFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !RequiresSignature(data) {
		return nil
	}
	signed, err := Sign(data, filepath.Base(path))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, signed, info.Mode().Perm())
}

// layout is where a Mach-O file's code signature and __LINKEDIT are.
type layout struct {
	order                binary.ByteOrder
	sigCmd               int    // the file offset of LC_CODE_SIGNATURE, or -1
	dataOff              uint32 // where the signature is, or would be
	linkeditCmd          int    // the file offset of __LINKEDIT's segment command
	linkeditOff          uint64
	textOff, textSize    uint64
	execute              bool
	segAlign             uint64
	headerEnd, firstData uint64 // the end of the load commands, and the first section's offset
}

// read finds a thin 64-bit Mach-O file's layout.
func read(data []byte) (*layout, error) {
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	l := &layout{order: f.ByteOrder, sigCmd: -1, linkeditCmd: -1, execute: f.Type == macho.TypeExec, segAlign: 0x1000, firstData: uint64(len(data))}
	if f.Cpu == macho.CpuArm64 {
		l.segAlign = 0x4000
	}
	off := 32 // mach_header_64
	for _, load := range f.Loads {
		raw := load.Raw()
		switch cmd := f.ByteOrder.Uint32(raw); {
		case cmd == lcCodeSignature:
			l.sigCmd, l.dataOff = off, f.ByteOrder.Uint32(raw[8:])
		case cmd == uint32(macho.LoadCmdSegment64):
			seg := load.(*macho.Segment)
			switch seg.Name {
			case "__LINKEDIT":
				l.linkeditCmd, l.linkeditOff = off, seg.Offset
			case "__TEXT":
				l.textOff, l.textSize = seg.Offset, seg.Filesz
			}
		}
		off += len(raw)
	}
	l.headerEnd = uint64(off)
	for _, s := range f.Sections {
		if s.Offset > 0 && uint64(s.Offset) < l.firstData {
			l.firstData = uint64(s.Offset)
		}
	}
	if l.linkeditCmd < 0 {
		return nil, errors.New("no __LINKEDIT segment")
	}
	if l.sigCmd < 0 {
		l.dataOff = uint32(align(uint64(len(data)), 16))
	}
	return l, nil
}

// Sign returns the 64-bit Mach-O file data signed ad hoc with identifier,
// as codesign_allocate then sigtool would write it:
//
//   - the signature's size is sigtool's: its SuperBlob's length, rounded
//     up to 16 bytes, plus 1024;
//   - codesign_allocate (a model: cctools' source was not run) keeps an
//     existing signature's offset, or puts a new LC_CODE_SIGNATURE after
//     the load commands and the signature at the end of the file, rounded
//     up to 16 bytes; the file ends with the signature, and __LINKEDIT's
//     file size reaches its end, its VM size rounded up to the segment
//     alignment (16 KiB for arm64, 4 KiB for x86_64);
//   - sigtool's SuperBlob: a CodeDirectory (version 0x20400, flags adhoc,
//     SHA-256, 4 KiB pages of the file up to the signature, the __TEXT
//     segment as the executable segment, the main-binary flag for an
//     executable, the identifier, the requirements' hash in special slot
//     2), an empty requirements blob, and an empty signature wrapper.
func Sign(data []byte, identifier string) ([]byte, error) {
	l, err := read(data)
	if err != nil {
		return nil, err
	}
	size := uint32(align(uint64(superBlob(data[:min(int(l.dataOff), len(data))], l, identifier).Len()), 16) + 1024)
	out := append([]byte(nil), data[:min(int(l.dataOff), len(data))]...)
	out = append(out, make([]byte, int(l.dataOff)+int(size)-len(out))...)
	if l.sigCmd < 0 {
		if l.headerEnd+16 > l.firstData {
			return nil, errors.New("no room for LC_CODE_SIGNATURE after the load commands")
		}
		l.sigCmd = int(l.headerEnd)
		l.order.PutUint32(out[16:], l.order.Uint32(out[16:])+1)  // ncmds
		l.order.PutUint32(out[20:], l.order.Uint32(out[20:])+16) // sizeofcmds
		l.order.PutUint32(out[l.sigCmd:], lcCodeSignature)
		l.order.PutUint32(out[l.sigCmd+4:], 16)
	}
	l.order.PutUint32(out[l.sigCmd+8:], l.dataOff)
	l.order.PutUint32(out[l.sigCmd+12:], size)
	fileSize := uint64(l.dataOff) + uint64(size) - l.linkeditOff
	l.order.PutUint64(out[l.linkeditCmd+32:], align(fileSize, l.segAlign)) // vmsize
	l.order.PutUint64(out[l.linkeditCmd+48:], fileSize)                    // filesize
	sb := superBlob(out[:l.dataOff], l, identifier)
	copy(out[l.dataOff:], sb.Bytes())
	return out, nil
}

// superBlob is sigtool's signature of code, the file up to its signature.
func superBlob(code []byte, l *layout, identifier string) *bytes.Buffer {
	be := binary.BigEndian
	requirements := be.AppendUint32(be.AppendUint32(be.AppendUint32(nil, magicRequirement), 12), 0)
	reqHash := sha256.Sum256(requirements)
	wrapper := be.AppendUint32(be.AppendUint32(nil, magicWrapper), 8)

	pages := (len(code) + pageSize - 1) / pageSize
	const specials = 2
	identOff := uint32(directorySize)
	hashOff := identOff + uint32(len(identifier)+1) + specials*sha256.Size
	cdLen := hashOff + uint32(pages)*sha256.Size
	var cd []byte
	for _, v := range []uint32{magicDirectory, cdLen, 0x20400, csAdhoc, hashOff, identOff, specials, uint32(pages), uint32(len(code))} {
		cd = be.AppendUint32(cd, v)
	}
	cd = append(cd, sha256.Size, hashSHA256, 0, 12) // hash size, type, platform, log2(page size)
	cd = be.AppendUint32(be.AppendUint32(be.AppendUint32(be.AppendUint32(cd, 0), 0), 0), 0)
	var flags uint64
	if l.execute {
		flags = execMainBinary
	}
	for _, v := range []uint64{0, l.textOff, l.textOff + l.textSize, flags} { // codeLimit64, execSeg
		cd = be.AppendUint64(cd, v)
	}
	cd = append(append(cd, identifier...), 0)
	cd = append(cd, reqHash[:]...)
	cd = append(cd, make([]byte, sha256.Size)...) // special slot 1, Info.plist: none
	for p := range pages {
		h := sha256.Sum256(code[p*pageSize : min((p+1)*pageSize, len(code))])
		cd = append(cd, h[:]...)
	}

	blobs := []struct {
		slot uint32
		data []byte
	}{{0, cd}, {slotRequirements, requirements}, {slotSignature, wrapper}}
	var sb bytes.Buffer
	total := 12 + 8*len(blobs)
	for _, b := range blobs {
		total += len(b.data)
	}
	sb.Write(be.AppendUint32(be.AppendUint32(be.AppendUint32(nil, magicEmbedded), uint32(total)), uint32(len(blobs))))
	at := uint32(12 + 8*len(blobs))
	for _, b := range blobs {
		sb.Write(be.AppendUint32(be.AppendUint32(nil, b.slot), at))
		at += uint32(len(b.data))
	}
	for _, b := range blobs {
		sb.Write(b.data)
	}
	return &sb
}

// align rounds n up to a multiple of to.
func align(n, to uint64) uint64 { return (n + to - 1) / to * to }

// Signature is what a Mach-O file's code signature says: its identifier,
// whether the linker made it (the CodeDirectory's CS_LINKER_SIGNED flag),
// and whether each page's hash holds; ok is false for a file without one.
func Signature(data []byte) (identifier string, linker, valid, ok bool) {
	l, err := read(data)
	if err != nil || l.sigCmd < 0 {
		return "", false, false, false
	}
	be := binary.BigEndian
	sb := data[l.dataOff:]
	for i := range be.Uint32(sb[8:]) {
		cd := sb[be.Uint32(sb[12+8*i+4:]):]
		if be.Uint32(cd) != magicDirectory {
			continue
		}
		flags, hashOff, identOff := be.Uint32(cd[12:]), be.Uint32(cd[16:]), be.Uint32(cd[20:])
		nCode, limit, shift := be.Uint32(cd[28:]), be.Uint32(cd[32:]), cd[39]
		ident := cd[identOff:]
		identifier = string(ident[:bytes.IndexByte(ident, 0)])
		valid = int(limit) <= len(data)
		for p := range nCode {
			page := data[p<<shift : min((p+1)<<shift, limit)]
			h := sha256.Sum256(page)
			valid = valid && bytes.Equal(h[:], cd[hashOff+p*sha256.Size:][:sha256.Size])
		}
		return identifier, flags&csLinkerSigned != 0, valid, true
	}
	return "", false, false, false
}
