package volcim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// docPackages are the package directories whose exported names must all
// have a doc comment: required ones must hold Go files, optional ones
// (packages being written on other branches) are checked when they exist.
// Every package under internal/ is checked too.
var docPackages = []struct {
	dir      string
	optional bool
}{
	{dir: "."},
	{dir: "volcimtest"},
	{dir: "pagination"},
	{dir: "signer"},
	{dir: "wukongim"},
	{dir: "callback", optional: true},
}

// TestExportedNamesHaveDocComments enforces the project rule "every exported
// name, field included, has a doc comment": every exported func, method on
// an exported type, type, const, var, and field of an exported struct type
// in the non-test files of docPackages and internal/... needs its own
// comment, above it or at the end of its line. A const or var in a group
// may rely on the group's comment (the idiom for enumerations), but not on
// the comment of the name before it ("// A and B are ..." above two names).
func TestExportedNamesHaveDocComments(t *testing.T) {
	t.Parallel()
	var dirs []string // the packages that must hold exported names
	for _, p := range docPackages {
		if _, err := os.Stat(p.dir); err != nil {
			if p.optional && os.IsNotExist(err) {
				continue
			}
			t.Fatalf("package %s: %v", p.dir, err)
		}
		dirs = append(dirs, p.dir)
	}
	internalDirs := 0
	err := filepath.WalkDir("internal", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if goFiles, _ := filepath.Glob(filepath.Join(path, "*.go")); len(goFiles) > 0 {
			dirs = append(dirs, path)
			internalDirs++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking internal: %v", err)
	}
	if internalDirs == 0 {
		t.Errorf("no package found under internal")
	}

	var missing []string
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, "_test.go") })
		fset := token.NewFileSet()
		checked := 0
		for _, name := range files {
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("parsing %s: %v", name, err)
			}
			m, n := undocumented(f, filepath.ToSlash(name))
			missing = append(missing, m...)
			checked += n
		}
		// A package with nothing to check means a wrong directory: the
		// test would pass without looking at anything.
		if checked == 0 {
			t.Errorf("package %s: no exported name found in its %d non-test files", dir, len(files))
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("%d exported names without their own doc comment (a comment above the name, or at the end of its line):\n\t%s",
			len(missing), strings.Join(missing, "\n\t"))
	}
}

// undocumented lists the exported names of f without their own doc
// comment, as "file: kind Name", and counts the exported names it checked.
func undocumented(f *ast.File, file string) (missing []string, checked int) {
	report := func(kind, name string) { missing = append(missing, file+": "+kind+" "+name) }
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Recv != nil && !exportedReceiver(d.Recv) {
				continue
			}
			checked++
			if d.Doc == nil {
				name := d.Name.Name
				if d.Recv != nil {
					name = receiverName(d.Recv) + "." + name
				}
				report("func", name)
			}
		case *ast.GenDecl:
			for i, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					checked++
					if d.Doc == nil && s.Doc == nil && s.Comment == nil {
						report("type", s.Name.Name)
					}
					st, ok := s.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fld := range st.Fields.List {
						for _, n := range fld.Names {
							if !n.IsExported() {
								continue
							}
							checked++
							if fld.Doc == nil && fld.Comment == nil {
								report("field", s.Name.Name+"."+n.Name)
							}
						}
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if !n.IsExported() {
							continue
						}
						checked++
						switch {
						case s.Doc != nil || s.Comment != nil:
						case d.Doc == nil:
							report(valueKind(d.Tok), n.Name)
						case i > 0 && sharesComment(d.Specs[i-1]):
							report(valueKind(d.Tok), n.Name+" (shares the comment above the name before it)")
						}
					}
				}
			}
		}
	}
	return missing, checked
}

// sharesComment reports whether prev, the spec before an undocumented one
// in a group, has a doc comment of its own that starts with one of its
// names: the comment then documents prev, and the spec after it has none.
// A section heading such as "// Gateway codes." does not count.
func sharesComment(prev ast.Spec) bool {
	vs, ok := prev.(*ast.ValueSpec)
	if !ok || vs.Doc == nil {
		return false
	}
	text := vs.Doc.Text()
	for _, n := range vs.Names {
		if strings.HasPrefix(text, n.Name+" ") {
			return true
		}
	}
	return false
}

func valueKind(tok token.Token) string {
	if tok == token.CONST {
		return "const"
	}
	return "var"
}

// exportedReceiver reports whether a method's receiver type (T, *T, T[P]
// or *T[P, Q]) is exported.
func exportedReceiver(recv *ast.FieldList) bool {
	return ast.IsExported(receiverName(recv))
}

func receiverName(recv *ast.FieldList) string {
	t := recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch ix := t.(type) {
	case *ast.IndexExpr:
		t = ix.X
	case *ast.IndexListExpr:
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// TestUndocumentedFindsEveryKind checks the checker itself on a file with
// one undocumented name of each kind, and documented ones it must accept.
func TestUndocumentedFindsEveryKind(t *testing.T) {
	t.Parallel()
	const src = `package p

func F() {}

// G is documented.
func G() {}

type T struct {
	// A is documented.
	A int
	B int
	C int // C is documented at the end of its line.
	D, E int
	unexported int
}

// M is documented.
func (T) M() {}

func (*T) N() {}

func (g Gen[K, V]) O() {}

func (u unexported) P() {}

// Gen is documented.
type Gen[K, V any] struct{}

type unexported struct{ X int }

var V = 1

// Group comment: its consts need none of their own.
const (
	K1 = 1
	K2 = 2
	// K3 and K4 share a comment.
	K3 = 3
	K4 = 4
	// Section heading.
	K5 = 5
	K6 = 6
)

var (
	W1 = 1
	W2 = 2 // W2 is documented.
)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	got, checked := undocumented(f, "p.go")
	want := []string{
		"p.go: func F",
		"p.go: type T",
		"p.go: field T.B",
		"p.go: field T.D",
		"p.go: field T.E",
		"p.go: func T.N",
		"p.go: func Gen.O",
		"p.go: var V",
		"p.go: const K4 (shares the comment above the name before it)",
		"p.go: var W1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("undocumented:\n got %q\nwant %q", got, want)
	}
	// F G T A B C D E M N O Gen V K1..K6 W1 W2
	if checked != 21 {
		t.Errorf("checked %d exported names, want 21", checked)
	}
}
