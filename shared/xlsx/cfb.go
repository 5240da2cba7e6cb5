package xlsx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
)

// An OLE2 Compound File Binary container is what Excel writes for a
// password-protected .xlsx (streams EncryptionInfo and EncryptedPackage) and for an
// old binary .xls (stream Workbook or Book). inspectCFB lists the directory to tell
// them apart; it reads only the header, the FAT sectors on the directory's chain and
// the directory itself.

var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbFree       = 0xFFFFFFFF
	cfbMaxEntries = 1 << 16
)

// cfbVerdict classifies an OLE2 file by its stream names.
func cfbVerdict(ra io.ReaderAt, size int64) *Error {
	names, err := cfbNames(ra, size)
	if err != nil {
		// A damaged directory: fall back to looking for the stream name anywhere.
		if cfbContainsName(ra, size, "EncryptionInfo") {
			return errorf(Encrypted, "password-protected workbook (OLE2 container with an EncryptionInfo stream)")
		}
		return errorf(LegacyXLS, "OLE2 compound file (old binary .xls format), directory unreadable: %v", err)
	}
	has := func(n string) bool {
		for _, x := range names {
			if strings.EqualFold(x, n) {
				return true
			}
		}
		return false
	}
	switch {
	case has("EncryptionInfo") || has("EncryptedPackage"):
		return errorf(Encrypted, "password-protected workbook (OLE2 container with an EncryptionInfo stream)")
	case has("Workbook") || has("Book"):
		return errorf(LegacyXLS, "old binary Excel workbook (.xls, BIFF); save it as .xlsx")
	case has("WordDocument"):
		return errorf(NotWorkbook, "an old binary Word document (.doc), not a workbook")
	case has("PowerPoint Document"):
		return errorf(NotWorkbook, "an old binary PowerPoint presentation (.ppt), not a workbook")
	}
	return errorf(LegacyXLS, "OLE2 compound file without a workbook stream (old binary Office format)")
}

// cfbNames returns the names of the directory entries of a compound file.
func cfbNames(ra io.ReaderAt, size int64) ([]string, error) {
	var h [512]byte
	if _, err := ra.ReadAt(h[:], 0); err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	shift := le.Uint16(h[30:])
	if shift != 9 && shift != 12 {
		return nil, errors.New("bad sector size")
	}
	ss := int64(1) << shift
	perSector := ss / 4
	nSectors := size/ss + 1

	// The FAT sector list: 109 in the header, then the DIFAT chain.
	var fatSecs []uint32
	for i := 0; i < 109; i++ {
		v := le.Uint32(h[76+4*i:])
		if v == cfbFree || v == cfbEndOfChain {
			break
		}
		fatSecs = append(fatSecs, v)
	}
	difat := le.Uint32(h[68:])
	sec := make([]byte, ss)
	for n := 0; difat != cfbEndOfChain && difat != cfbFree; n++ {
		if int64(difat) >= nSectors || n > int(nSectors) {
			return nil, errors.New("bad DIFAT chain")
		}
		if _, err := ra.ReadAt(sec, (int64(difat)+1)*ss); err != nil {
			return nil, err
		}
		for i := int64(0); i < perSector-1; i++ {
			v := le.Uint32(sec[4*i:])
			if v == cfbFree || v == cfbEndOfChain {
				continue
			}
			if int64(len(fatSecs)) >= nSectors { // more FAT sectors than the file has
				return nil, errors.New("bad DIFAT chain")
			}
			fatSecs = append(fatSecs, v)
		}
		difat = le.Uint32(sec[ss-4:])
	}
	next := func(s uint32) (uint32, error) {
		idx := int64(s) / perSector
		if idx >= int64(len(fatSecs)) {
			return 0, errors.New("sector outside the FAT")
		}
		var b [4]byte
		if _, err := ra.ReadAt(b[:], (int64(fatSecs[idx])+1)*ss+(int64(s)%perSector)*4); err != nil {
			return 0, err
		}
		return le.Uint32(b[:]), nil
	}

	var names []string
	dir := le.Uint32(h[48:])
	for n := 0; dir != cfbEndOfChain; n++ {
		if int64(dir) >= nSectors || n > int(nSectors) || len(names) > cfbMaxEntries {
			return nil, errors.New("bad directory chain")
		}
		if _, err := ra.ReadAt(sec, (int64(dir)+1)*ss); err != nil {
			return nil, err
		}
		for off := int64(0); off+128 <= ss; off += 128 {
			e := sec[off : off+128]
			l := int(le.Uint16(e[64:]))
			if e[66] == 0 || l < 2 || l > 64 { // unused entry
				continue
			}
			u := make([]uint16, l/2-1)
			for i := range u {
				u[i] = le.Uint16(e[2*i:])
			}
			names = append(names, string(utf16.Decode(u)))
		}
		var err error
		if dir, err = next(dir); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// cfbContainsName looks for name, in UTF-16LE, anywhere in the file.
func cfbContainsName(ra io.ReaderAt, size int64, name string) bool {
	var pat []byte
	for _, c := range []byte(name) {
		pat = append(pat, c, 0)
	}
	buf := make([]byte, max(min(size, 1<<20), int64(2*len(pat))))
	for off := int64(0); off < size; off += int64(len(buf) - len(pat)) {
		n, _ := ra.ReadAt(buf, off)
		if n <= 0 {
			return false
		}
		if bytes.Contains(buf[:n], pat) {
			return true
		}
		if n < len(buf) {
			return false
		}
	}
	return false
}
