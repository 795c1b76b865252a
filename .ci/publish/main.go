// Command publish checks that the modules of this repository install the way
// users install them, before anything is tagged.
//
// It reads the version from the root package's Version constant, checks that
// every nested module requires the root at exactly that version with no
// replace directive, and that volcim.work (the development workspace) lists
// every module and maps that version to the checkout. Then it zips every
// published module of the checkout at that version with golang.org/x/mod/zip,
// as a module proxy would serve it (the nested modules' zips get the root's
// LICENSE, as the go command gives them), into a file:// module proxy in a
// temporary directory, and, in a fresh module with an empty module cache and
// no workspace:
//
//   - go gets the root module, redislimit and callback/redisstore at that
//     version, and builds and runs a program that imports them;
//   - go installs examples/export at that version into a temporary GOBIN and
//     runs its demo export.
//
// Dependencies outside this repository come from the GOPROXY of the
// environment, after the local proxy. The modules of this repository are
// left out of the checksum database (GONOSUMDB): the versions being checked
// are not published. Nothing is written to the checkout; the temporary
// directory is removed unless -keep is given.
//
// Usage, from the repository root:
//
//	(cd .ci/publish && GOWORK=off go run . -repo ../..)
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	modzip "golang.org/x/mod/zip"
)

const (
	rootPath = "github.com/volcim/volcim-go"
	workFile = "volcim.work"
)

// unpublished are the nested modules (directories relative to the
// repository root) that are never tagged: they are checked for consistency
// but not put in the proxy.
var unpublished = []string{"reference"}

func main() {
	log.SetFlags(0)
	log.SetPrefix("publish: ")
	repo := flag.String("repo", "", "repository root (default: the nearest parent directory whose go.mod is "+rootPath+")")
	version := flag.String("version", "", "version to publish (default: v + the root package's Version constant)")
	keep := flag.Bool("keep", false, "keep the temporary directory (the proxy, the module cache, the consumer module) and print its path")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("unexpected arguments %q", flag.Args())
	}
	start := time.Now()
	if err := run(*repo, *version, *keep); err != nil {
		log.Fatal(err)
	}
	log.Printf("ok in %v", time.Since(start).Round(100*time.Millisecond))
}

// A repoModule is one module of the checkout.
type repoModule struct {
	dir  string // relative to the repository root, slash-separated; "." for the root
	path string // module path
	file *modfile.File
}

func run(repo, version string, keep bool) error {
	root, err := findRoot(repo)
	if err != nil {
		return err
	}
	if version == "" {
		v, err := versionConstant(root)
		if err != nil {
			return err
		}
		version = "v" + v
	}
	if !semver.IsValid(version) || semver.Canonical(version) != version {
		return fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", version)
	}
	mods, err := findModules(root)
	if err != nil {
		return err
	}
	if err := checkConsistency(root, mods, version); err != nil {
		return err
	}
	var published []repoModule
	for _, m := range mods {
		if !slices.Contains(unpublished, m.dir) {
			published = append(published, m)
		}
	}
	log.Printf("%s: publishing %d modules at %s: %s", root, len(published), version, modulePaths(published))

	tmp, err := os.MkdirTemp("", "volcim-publish-")
	if err != nil {
		return err
	}
	if keep {
		defer log.Printf("kept %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	proxyDir := filepath.Join(tmp, "proxy")
	for _, m := range published {
		if err := publish(proxyDir, root, m, version); err != nil {
			return err
		}
	}
	return consume(tmp, proxyDir, version)
}

// findRoot returns the repository root: dir if given, else the nearest
// parent of the working directory whose go.mod declares rootPath.
func findRoot(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		if p, err := modulePath(filepath.Join(abs, "go.mod")); err != nil || p != rootPath {
			return "", fmt.Errorf("-repo %s: want the directory whose go.mod declares %s", dir, rootPath)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if p, err := modulePath(filepath.Join(d, "go.mod")); err == nil && p == rootPath {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no parent of %s holds the go.mod of %s; use -repo", wd, rootPath)
		}
	}
}

func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	return modfile.ModulePath(data), nil
}

// versionConstant returns the value of the root package's Version constant.
func versionConstant(root string) (string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(root)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(root, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if id.Name != "Version" || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return "", fmt.Errorf("%s: Version is not a string literal", name)
					}
					return strconv.Unquote(lit.Value)
				}
			}
		}
	}
	return "", fmt.Errorf("no Version constant in the root package (%s)", root)
}

// findModules returns every module of the checkout, the root first. Like
// the go command, it does not look into directories whose names start with
// "." or "_", testdata or vendor.
func findModules(root string) ([]repoModule, error) {
	var mods []repoModule
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
			return filepath.SkipDir
		}
		data, err := os.ReadFile(filepath.Join(p, "go.mod"))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		f, err := modfile.Parse(filepath.Join(p, "go.mod"), data, nil)
		if err != nil {
			return err
		}
		if f.Module == nil {
			return fmt.Errorf("%s/go.mod: no module statement", rel)
		}
		mods = append(mods, repoModule{dir: filepath.ToSlash(rel), path: f.Module.Mod.Path, file: f})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(mods) == 0 || mods[0].dir != "." {
		return nil, fmt.Errorf("%s: no go.mod at the root", root)
	}
	return mods, nil
}

// checkConsistency checks what makes the modules installable and the
// workspace correct: each module's path matches its directory, no go.mod has
// a replace directive, every requirement of a module of this repository is
// at version, and volcim.work uses every module and maps the root at version
// to the checkout.
func checkConsistency(root string, mods []repoModule, version string) error {
	var problems []string
	inRepo := make(map[string]bool)
	for _, m := range mods {
		inRepo[m.path] = true
	}
	for _, m := range mods {
		want := rootPath
		if m.dir != "." {
			want = rootPath + "/" + m.dir
		}
		if m.path != want {
			problems = append(problems, fmt.Sprintf("%s/go.mod: module %s, want %s", m.dir, m.path, want))
		}
		for _, r := range m.file.Replace {
			problems = append(problems, fmt.Sprintf("%s/go.mod: replace %s: importers ignore replace directives and go install refuses them; use %s", m.dir, r.Old.Path, workFile))
		}
		for _, r := range m.file.Require {
			if inRepo[r.Mod.Path] && r.Mod.Version != version {
				problems = append(problems, fmt.Sprintf("%s/go.mod: requires %s %s, want %s", m.dir, r.Mod.Path, r.Mod.Version, version))
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(root, workFile))
	if err != nil {
		problems = append(problems, err.Error())
	} else if wf, err := modfile.ParseWork(workFile, data, nil); err != nil {
		problems = append(problems, err.Error())
	} else {
		used := make(map[string]bool)
		for _, u := range wf.Use {
			used[path.Clean(filepath.ToSlash(u.Path))] = true
		}
		for _, m := range mods {
			if !used[m.dir] {
				problems = append(problems, fmt.Sprintf("%s: no use ./%s", workFile, m.dir))
			}
		}
		var mapped bool
		for _, r := range wf.Replace {
			if r.Old.Path == rootPath && r.Old.Version == version && path.Clean(filepath.ToSlash(r.New.Path)) == "." {
				mapped = true
			}
		}
		if !mapped {
			problems = append(problems, fmt.Sprintf("%s: want replace %s %s => ./ (without it the workspace fetches %s %s from the proxy)",
				workFile, rootPath, version, rootPath, version))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the modules are not ready for %s:\n\t%s", version, strings.Join(problems, "\n\t"))
	}
	return nil
}

// publish writes module m of the checkout at version into the file://
// proxy rooted at proxyDir: list, .info, .mod and .zip, as
// https://go.dev/ref/mod#goproxy-protocol describes.
func publish(proxyDir, root string, m repoModule, version string) error {
	esc, err := module.EscapePath(m.path)
	if err != nil {
		return err
	}
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return err
	}
	dir := filepath.Join(proxyDir, filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	modDir := filepath.Join(root, filepath.FromSlash(m.dir))
	gomod, err := os.ReadFile(filepath.Join(modDir, "go.mod"))
	if err != nil {
		return err
	}
	info := fmt.Sprintf("{\"Version\":%q,\"Time\":%q}\n", version, time.Now().UTC().Format(time.RFC3339))
	files, err := moduleFiles(modDir)
	if err != nil {
		return err
	}
	if m.dir != "." && !slices.ContainsFunc(files, func(f modzip.File) bool { return f.Path() == "LICENSE" }) {
		// The go command does the same when it zips a nested module
		// from a repository: the root's LICENSE goes along.
		f, err := rootFile(root, "LICENSE")
		if err != nil {
			return fmt.Errorf("%s has no LICENSE and the repository root none either: %w", m.dir, err)
		}
		files = append(files, f)
	}
	var zip bytes.Buffer
	if err := modzip.Create(&zip, module.Version{Path: m.path, Version: version}, files); err != nil {
		return fmt.Errorf("zipping %s: %w", m.path, err)
	}
	for name, data := range map[string][]byte{
		"list":           []byte(version + "\n"),
		escVer + ".info": []byte(info),
		escVer + ".mod":  gomod,
		escVer + ".zip":  zip.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	log.Printf("%s@%s: %d files, %d KiB zipped", m.path, version, len(files), zip.Len()/1024)
	return nil
}

// moduleFiles lists the files of the module in dir as the module zip holds
// them: what CreateFromDir takes, except that a .git entry is left out
// whether it is a directory or, in a git worktree, a file.
func moduleFiles(dir string) ([]modzip.File, error) {
	var files []modzip.File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		switch d.Name() {
		case ".git", ".hg", ".svn", ".bzr":
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if _, err := os.Lstat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // symbolic links and the like are never in a module zip
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, dirFile{path: p, slashPath: filepath.ToSlash(rel), info: info})
		return nil
	})
	return files, err
}

// rootFile returns the file name of the repository root as a file at the
// root of a module zip.
func rootFile(root, name string) (modzip.File, error) {
	p := filepath.Join(root, name)
	info, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	return dirFile{path: p, slashPath: name, info: info}, nil
}

type dirFile struct {
	path, slashPath string
	info            fs.FileInfo
}

func (f dirFile) Path() string                 { return f.slashPath }
func (f dirFile) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f dirFile) Open() (io.ReadCloser, error) { return os.Open(f.path) }

// consumer is the program the fresh module builds: it imports the root
// package, redislimit and callback/redisstore, and prints the version it
// was built with.
const consumer = `package main

import (
	"fmt"

	volcim "github.com/volcim/volcim-go"
	"github.com/volcim/volcim-go/callback"
	"github.com/volcim/volcim-go/callback/redisstore"
	"github.com/volcim/volcim-go/redislimit"
)

var (
	_ volcim.Limiter = (*redislimit.Limiter)(nil)
	_ callback.Store = (*redisstore.Store)(nil)
)

func main() {
	fmt.Println("volcim-go", volcim.Version, "redislimit", redislimit.DefaultKeyPrefix, "redisstore", redisstore.DefaultKeyPrefix)
}
`

// consume plays a user on a fresh machine: an empty module cache, no
// workspace, the modules of this repository only in the local proxy.
func consume(tmp, proxyDir, version string) error {
	goproxy, err := goEnv("GOPROXY")
	if err != nil {
		return err
	}
	gonosumdb, _ := goEnv("GONOSUMDB")
	goflags, _ := goEnv("GOFLAGS")
	proxies := []string{fileURL(proxyDir)}
	if goproxy != "" && goproxy != "off" {
		proxies = append(proxies, goproxy)
	}
	env := append(os.Environ(),
		"GOWORK=off",
		"GOMODCACHE="+filepath.Join(tmp, "modcache"),
		"GOBIN="+filepath.Join(tmp, "bin"),
		"GOPROXY="+strings.Join(proxies, ","),
		"GONOSUMDB="+strings.Trim(gonosumdb+","+rootPath, ","),
		"GOFLAGS="+strings.TrimSpace(goflags+" -modcacherw"), // so that the cache can be removed
	)
	work := filepath.Join(tmp, "consumer")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, "go.mod"), []byte("module example.com/consumer\n\ngo 1.24.0\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, "main.go"), []byte(consumer), 0o644); err != nil {
		return err
	}
	goCmd := func(dir string, args ...string) (string, error) {
		return command(dir, env, "go", args...)
	}

	imported := []string{rootPath, rootPath + "/redislimit", rootPath + "/callback/redisstore"}
	get := []string{"get"}
	for _, p := range imported {
		get = append(get, p+"@"+version)
	}
	if _, err := goCmd(work, get...); err != nil {
		return err
	}
	for _, p := range imported {
		out, err := goCmd(work, "list", "-m", "-f", "{{.Version}} {{.Dir}}", p)
		if err != nil {
			return err
		}
		got, dir, _ := strings.Cut(strings.TrimSpace(out), " ")
		if got != version {
			return fmt.Errorf("consumer: go list -m %s = %s, want %s", p, got, version)
		}
		if _, err := os.Stat(filepath.Join(dir, "LICENSE")); err != nil {
			return fmt.Errorf("consumer: %s@%s has no LICENSE: %w", p, version, err)
		}
	}
	exe := filepath.Join(tmp, "consumer-bin")
	if _, err := goCmd(work, "build", "-o", exe, "."); err != nil {
		return err
	}
	out, err := command(work, env, exe)
	if err != nil {
		return err
	}
	if want := "volcim-go " + strings.TrimPrefix(version, "v") + " "; !strings.HasPrefix(out, want) {
		return fmt.Errorf("consumer printed %q, want it to start with %q", out, want)
	}
	log.Printf("consumer: built and ran a program importing %d modules: %s", len(imported), strings.TrimSpace(out))

	if _, err := goCmd(tmp, "install", rootPath+"/examples/export@"+version); err != nil {
		return err
	}
	export := filepath.Join(tmp, "bin", "export")
	if _, err := os.Stat(export + ".exe"); err == nil {
		export += ".exe"
	}
	demo := filepath.Join(tmp, "demo.jsonl")
	if _, err := command(tmp, env, export, "-demo", "-demo-conversations", "2", "-demo-messages", "30", "-quiet", "-out", demo); err != nil {
		return err
	}
	data, err := os.ReadFile(demo)
	if err != nil {
		return err
	}
	if n := bytes.Count(data, []byte("\n")); n != 60 {
		return fmt.Errorf("installed export wrote %d messages in its demo, want 60", n)
	}
	log.Printf("installed %s/examples/export@%s and ran its demo: 60 messages", rootPath, version)
	return nil
}

// command runs name with args in dir and returns its standard output; its
// standard error goes to ours.
func command(dir string, env []string, name string, args ...string) (string, error) {
	log.Printf("$ %s %s", name, strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env, cmd.Stderr = dir, env, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return string(out), nil
}

func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// fileURL returns the file:// URL of an absolute directory.
func fileURL(dir string) string {
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func modulePaths(mods []repoModule) string {
	var ps []string
	for _, m := range mods {
		ps = append(ps, m.path)
	}
	return strings.Join(ps, ", ")
}
