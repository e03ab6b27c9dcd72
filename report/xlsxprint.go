package report

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// How the workbook prints: every sheet landscape, scaled to one page wide
// (the Summary to one page), with margins, the table sheets' header row
// repeated at the top of every page, and a footer naming the sheet, the
// scan's date and the page.

// Page margins, in inches.
var (
	marginSide   = 0.4
	marginTop    = 0.5
	marginBottom = 0.6
	marginHeader = 0.25
	marginFooter = 0.3
)

// printSetup sets up sheet for printing: landscape, one page wide and
// fitHeight pages tall (0: as many as it takes), the margins and the
// footer, and with titleRow row 1 printed at the top of every page. The
// fitToPage property that makes the fit apply is the caller's to set: a
// table sheet's XML is written in xlsxrows.go, the Summary's by excelize.
func (x *XLSX) printSetup(sheet string, fitHeight int, titleRow bool) error {
	landscape, wide := "landscape", 1
	if err := x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &fitHeight}); err != nil {
		return err
	}
	if err := x.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &marginSide, Right: &marginSide, Top: &marginTop, Bottom: &marginBottom, Header: &marginHeader, Footer: &marginFooter,
	}); err != nil {
		return err
	}
	if err := x.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: x.footer()}); err != nil {
		return err
	}
	if !titleRow {
		return nil
	}
	return x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: sheetRef(sheet) + "!$1:$1", Scope: sheet})
}

// footer is the pages' footer: the sheet's name on the left, the tool
// and the day of the scan (of printing, when there is no scan: a diff) in
// the middle, the page and the page count on the right.
func (x *XLSX) footer() string {
	day := "printed &D"
	if t := x.header.ScannedAt; !t.IsZero() {
		day = "scanned " + t.UTC().Format("2006-01-02")
	}
	return "&L&A&Csyncready, " + day + "&RPage &P of &N"
}

// sheetRef is a sheet's name as a reference writes it: quoted, a quote in
// it doubled.
func sheetRef(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
