package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// registerRows writes n realistic register rows (a header and 22 columns: code
// lists, names, 12-digit ids as text, dates, numbers, phones, e-mails; most
// strings unique) to w.
func registerRows(w *Writer, n int) error {
	rng := rand.New(rand.NewPCG(42, 7))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	regions := []string{"Астана", "Алматы", "Шымкент", "Абай облысы", "Ақмола облысы", "Ақтөбе облысы", "Алматы облысы",
		"Атырау облысы", "Батыс Қазақстан облысы", "Жамбыл облысы", "Жетісу облысы", "Қарағанды облысы", "Қостанай облысы",
		"Қызылорда облысы", "Маңғыстау облысы", "Павлодар облысы", "Солтүстік Қазақстан облысы", "Түркістан облысы",
		"Ұлытау облысы", "Шығыс Қазақстан облысы"}
	surnames := []string{"Иванов", "Ахметов", "Сериков", "Жумабаев", "Ким", "Нурланов", "Петров", "Оспанов", "Касымов", "Бекова",
		"Смагулова", "Ержанова", "Абдрахманов", "Тулегенов", "Сагинтаев", "Есенова", "Калиев", "Муратова", "Омаров", "Байжанов"}
	names := []string{"Айдар", "Алия", "Ерлан", "Гульнар", "Даурен", "Жанна", "Ержан", "Динара", "Нурлан", "Асель", "Марат",
		"Сауле", "Бауыржан", "Айгерим", "Тимур", "Мадина", "Руслан", "Камила", "Арман", "Дана"}
	places := []string{"ЦПП", "online", "выездная консультация", "ЦОП при акимате", "мобильный ЦОП"}
	forms := []string{"ИП", "ТОО", "КХ", "АО", "ПК", "ФХ"}
	cats := []string{"микро", "малое", "среднее"}
	sections := []string{"A", "C", "F", "G", "H", "I", "J", "M", "N", "P", "Q", "S"}
	services := make([]string, 30)
	for i := range services {
		services[i] = fmt.Sprintf("Услуга по сопровождению бизнеса №%d", i+1)
	}
	headers := make([]Value, 22)
	for i := range headers {
		headers[i] = Text(fmt.Sprintf("Заголовок столбца %d", i+1))
	}
	if err := w.WriteRow(headers); err != nil {
		return err
	}
	base := civil.D(2024, 3, 1)
	row := make([]Value, 22)
	for i := 0; i < n; i++ {
		birth := civil.D(1960+rng.IntN(45), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		start := base.AddDays(rng.IntN(28))
		client := pick(surnames) + " " + pick(names) + " " + pick(names) + "ұлы " + strconv.Itoa(i%977)
		row[0] = Text(pick(regions))
		row[1] = Text(fmt.Sprintf("село %d", rng.IntN(300)))
		row[2] = Text(pick(places))
		row[3] = Text(fmt.Sprintf("ТОО «%s и партнёры %d»", pick(surnames), i))
		row[4] = Text(client)
		row[5] = Text(fmt.Sprintf("%012d", 100000000000+rng.Int64N(899999999999)))
		row[6] = Text([]string{"муж", "жен"}[rng.IntN(2)])
		row[7] = DateOf(birth)
		row[8] = Num(float64(civil.YearsBetween(birth, start)))
		row[9] = Text([]string{"да", "нет"}[rng.IntN(2)])
		row[10] = Text(pick(forms))
		row[11] = Text(pick(cats))
		row[12] = Text(pick(sections))
		row[13] = Text(fmt.Sprintf("%d.%d", 10+rng.IntN(89), rng.IntN(99)))
		row[14] = Text(pick(services))
		row[15] = Text(fmt.Sprintf("подвид %d", rng.IntN(50)))
		row[16] = Text(pick(surnames) + " " + pick(names))
		row[17] = DateOf(start)
		row[18] = DateOf(start.AddDays(rng.IntN(3)))
		row[19] = Text(fmt.Sprintf("+7 7172 %06d", rng.IntN(1000000)))
		row[20] = Text(fmt.Sprintf("8 70%d %03d %02d %02d", rng.IntN(10), rng.IntN(1000), rng.IntN(100), rng.IntN(100)))
		row[21] = Text(fmt.Sprintf("client%d@mail.kz", i))
		if err := w.WriteRow(row); err != nil {
			return err
		}
	}
	return nil
}

var (
	benchOnce sync.Once
	benchData []byte
	benchErr  error
)

const benchRows = 100_000

func benchWorkbook(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		w := NewWriter(&buf, "Тізілім")
		if benchErr = registerRows(w, benchRows); benchErr == nil {
			benchErr = w.Close()
		}
		benchData = buf.Bytes()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
}

// readAllCells opens data and reads every cell, returning rows and cells.
func readAllCells(r io.ReaderAt, size int64) (rows, cells int, err error) {
	wb, err := Open(r, size, Limits{})
	if err != nil {
		return 0, 0, err
	}
	sh, err := wb.Sheet("")
	if err != nil {
		return 0, 0, err
	}
	defer sh.Close()
	for sh.Next() {
		rows++
		cells += len(sh.Cells())
	}
	return rows, cells, sh.Err()
}

// BenchmarkSheet reads a 100,000-row × 22-column register written by Writer
// (shared strings, mostly unique).
func BenchmarkSheet(b *testing.B) {
	data := benchWorkbook(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rows, cells, err := readAllCells(bytes.NewReader(data), int64(len(data)))
		if err != nil || rows != benchRows+1 || cells != (benchRows+1)*22 {
			b.Fatalf("rows %d cells %d err %v", rows, cells, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(benchRows+1), "ns/row")
}

// BenchmarkWriter writes the 100,000-row register.
func BenchmarkWriter(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(io.Discard, "Тізілім")
		if err := registerRows(w, benchRows); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFixtureFromEnv writes a register of $QOLDAU_XLSX_ROWS rows to
// $QOLDAU_XLSX_WRITE; a tool for making large test files:
//
//	QOLDAU_XLSX_WRITE=/tmp/r1m.xlsx QOLDAU_XLSX_ROWS=1000000 go test -run FixtureFromEnv ./shared/xlsx
func TestFixtureFromEnv(t *testing.T) {
	path := os.Getenv("QOLDAU_XLSX_WRITE")
	if path == "" {
		t.Skip("QOLDAU_XLSX_WRITE not set")
	}
	n, err := strconv.Atoi(os.Getenv("QOLDAU_XLSX_ROWS"))
	if err != nil {
		t.Fatal("QOLDAU_XLSX_ROWS: ", err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewWriter(f, "Тізілім")
	if err := registerRows(w, n); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReadFromEnv reads every cell of $QOLDAU_XLSX_READ and logs time and memory;
// run the test binary under /usr/bin/time -v for the peak RSS.
func TestReadFromEnv(t *testing.T) {
	path := os.Getenv("QOLDAU_XLSX_READ")
	if path == "" {
		t.Skip("QOLDAU_XLSX_READ not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	start := time.Now()
	rows, cells, err := readAllCells(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d rows, %d cells in %v; heap in use %d MiB, total allocated %d MiB, Sys %d MiB",
		rows, cells, time.Since(start), ms.HeapInuse>>20, ms.TotalAlloc>>20, ms.Sys>>20)
}

// BenchmarkInflateOnly inflates every part of the BenchmarkSheet workbook and does
// nothing else: the floor under BenchmarkSheet.
func BenchmarkInflateOnly(b *testing.B) {
	data := benchWorkbook(b)
	buf := make([]byte, 64<<10)
	for b.Loop() {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			for err == nil {
				_, err = rc.Read(buf)
			}
			if err != io.EOF {
				b.Fatal(err)
			}
			rc.Close()
		}
	}
}
