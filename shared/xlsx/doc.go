// Package xlsx reads and writes Office Open XML workbooks (.xlsx) as streams, in
// bounded memory, with the limits a public upload form needs (file size, zip bombs,
// rows, columns); it reads OpenDocument spreadsheets (.ods) and Excel 97-2003
// workbooks (.xls) into the same cells.
//
// # Why it is hand-written
//
// A register holds up to 1,048,576 rows of ~22 columns and has to be validated in
// seconds. Measured on the target machine for a 100,000-row register: excelize's
// Rows() takes ~13 s (~4.5 s with RawCellValue), and Go's encoding/xml tokenizer alone
// ~4.5 s, while inflating the sheet takes ~0.24 s and a byte scanner over the inflated
// XML ~0.35 s. So the worksheet and shared-string parts are read by a byte scanner
// (bytes.IndexByte over a fixed buffer fed by the inflater); only the small parts
// (workbook, relationships, content types, styles) go through encoding/xml.
//
// # Reading
//
// [Open] checks the container before anything is inflated: the size, the signature
// (empty, OLE2/CFB, zip), the declared unpacked sizes of all entries, and then reads
// the workbook's sheet list, the 1904 flag and the date styles. [Workbook.Sheet] opens
// one worksheet; [Sheet.Next] advances row by row and [Sheet.Cells] returns the
// non-empty cells of the row. Shared strings are kept in one byte arena with uint32
// offsets, so a workbook with millions of unique strings costs little more than the
// text itself. Every problem with the file is reported as an [*Error] whose [Problem]
// says what kind it is; limits are enforced again while inflating, because zip headers
// can lie.
//
// Cell values are returned as text the way they are stored: a number is "45123" or
// "4.5E+3", a date cell is a number with [Cell.Date] set (convert it with
// civil.FromExcel and [Workbook.Date1904]). Nothing is formatted.
//
// # OpenDocument and Excel 97-2003
//
// The same Cells come from two other formats offices still use. [OpenODS] reads an
// .ods: content.xml holds all sheets in order, so [ODS.NextSheet] walks them in one
// stream with the same byte scanner; repeated rows and cells are expanded, merged
// cells come with the row that starts them. It unpacks to about 17 times its size
// (a 100,000-row register: 16 MB, 282 MB of XML), which makes it the slowest of
// the three to read. [OpenXLS] reads an .xls: the BIFF8 records of the Workbook
// stream of the OLE2 file (opened with richardlehane/mscfb), the shared strings
// (continued across CONTINUE records) into the same arena as an .xlsx's, then one
// sheet's records at a time. Measured on a 60,000-row register, the pure-Go .xls
// readers the module proxy serves were unusable (extrame/xls grew past 24 GB,
// shakinm/xlsReader took 150 s; neither reads merged cells); this one reads it in
// about half a second.
//
// # Merged cells
//
// A worksheet lists its merged ranges after its rows; [Workbook.Merges] reads them
// with one more pass over the part that looks only for <mergeCell> (about what
// inflating costs), as [XLSSheet.Merges] does for an .xls.
//
// # Namespaces
//
// Parts carry elements of other namespaces beside SpreadsheetML's, some with the
// same local names: Excel 2013+ writes <x15:workbookPr> (without date1904) in the
// workbook's extLst, and conditional formats' <dxf>s hold <numFmt>s with ids of
// their own. So every element is read only in SpreadsheetML's namespace
// (transitional or strict) and in its place: workbookPr as a child of the workbook,
// numFmt under numFmts, xf under cellXfs, Relationship and Override in the package
// namespaces. The small parts resolve every declaration (encoding/xml's raw tokens
// and a scope stack); the byte scanner knows the prefixes the root element declares
// and those a prefixed tag declares itself, which is where writers put them. An
// undeclared prefix, or no namespace at all, counts as SpreadsheetML. Elements of
// other namespaces and extLst are skipped with their content. In an
// mc:AlternateContent the Fallback is read in its place: this reader understands no
// namespace a Choice may require (markup compatibility, ECMA-376 Part 3).
//
// # Bounds
//
// Nothing is allocated by a number the file states before it is checked: declared
// sizes against the budget; the shared-string arena and offsets sized only as far
// as the compressed part can hold them (16 times its compressed size), and the
// table bounded by [Limits.MaxSharedStrings]; a cell's or shared string's text at
// most 1 MiB over all its runs and values, a row's 64 MiB; row and column numbers
// within Excel's grid; the small parts at most 64 MiB and 256 elements deep; an OLE2
// file's FAT list no longer than the file has sectors. FuzzWorkbook and FuzzSheet
// (make fuzz) feed arbitrary parts to the reader.
//
// # Checked against excelize
//
// A differential test reads every .xlsx of testdata/corpus (workbooks written by
// LibreOffice, openpyxl, excelize, this package, and by hand as Excel 365 writes
// them) with excelize too, raw values, and compares sheet names, the date system,
// every cell and every date. They agree but for these choices of ours:
//   - elements by namespace and an mc:AlternateContent's Fallback, as above
//     (excelize reads elements of any namespace by local name);
//   - _xHHHH_ escapes: a UTF-16 surrogate pair is one character and a lone
//     surrogate U+FFFD (excelize drops both), and they are decoded in a formula's
//     cached text (t="str") as in shared and inline strings (excelize does not);
//   - a boolean is "1" or "0" also when written true or false, and a number's text
//     is trimmed of spaces;
//   - dates: serial 60 (Excel's fictitious 29 February 1900), a serial under 1 in
//     the 1900 system (a time without a date) and one past 9999-12-31 name no date
//     (excelize: 1900-02-28, 1899-12-30, 10000-01-01).
//
// # Writing
//
// [Writer] writes a one-sheet workbook row by row, with shared strings (as Excel
// writes them; excelize's StreamWriter writes inline strings), a date style, and a
// correct <dimension> (openpyxl's read-only mode trusts it). Sheet data is spooled to
// a temporary file, because the dimension comes before the data.
//
// # Flagging
//
// [Flag] writes a workbook back with some cells of one sheet filled and
// commented, and a first sheet listing the findings with links to the cells. It
// streams: the sheet's XML goes through a rewriter that edits only the start tags
// of marked cells and inserts missing cells, rows and the comments' drawing,
// copying every other byte; parts that do not change are copied still
// compressed; the parts it writes are compressed in parallel. A 100,000-row ×
// 22-column register with 5% of its cells flagged takes about half a second and a
// few tens of MiB beyond the marks themselves.
package xlsx
