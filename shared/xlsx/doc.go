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
