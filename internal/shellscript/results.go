package shellscript

import (
	"fmt"
	"strings"
)

// ResultsDir makes the script take "-o DIR" (default def) into the
// variable name, and creates the folder:
//
//	OUT=poc-results
//	while getopts o: opt; do
//	  case "$opt" in
//	    o) OUT="$OPTARG" ;;
//	    *) echo "usage: $0 [-o DIR]" >&2; exit 2 ;;
//	  esac
//	done
//	mkdir -p -- "${OUT}"
//
// An invalid name is recorded as an error for Bytes.
func (s *Script) ResultsDir(name, def string) {
	if !s.declare(name) {
		return
	}
	s.buf.WriteString(name + "=" + quote(def, false) + "\n")
	s.buf.WriteString("while getopts o: opt; do\n  case \"$opt\" in\n    o) " + name + "=\"$OPTARG\" ;;\n")
	s.buf.WriteString("    *) echo \"usage: $0 [-o DIR]\" >&2; exit 2 ;;\n  esac\ndone\n")
	s.buf.WriteString("mkdir -p -- \"${" + name + "}\"\n")
}

// Record runs a command with its standard output and error in the file
// named file in the folder of variable dir, and its exit status in
// file.exit; a failing command does not stop the script, so a bad
// measurement is recorded rather than fatal:
//
//	if command … >"${OUT}/file" 2>&1; then echo 0; else echo "$?"; fi >"${OUT}/file.exit"
//
// file is a plain name of letters, digits, '.', '_' and '-'; another name
// or an unset dir is recorded as an error for Bytes.
func (s *Script) Record(dir, file string, args ...Word) {
	if !validName(dir) || !s.vars[dir] {
		s.errs = append(s.errs, fmt.Sprintf("Record into unset variable %q", dir))
		return
	}
	if !validFile(file) {
		s.errs = append(s.errs, fmt.Sprintf("Record into invalid file name %q", file))
		return
	}
	at := `"${` + dir + `}/` + file
	s.buf.WriteString("if ")
	s.buf.WriteString(s.command("  ", args))
	s.buf.WriteString(" >" + at + `" 2>&1; then echo 0; else echo "$?"; fi >` + at + `.exit"` + "\n")
}

// OnExit adds a command to run when the script ends, however it ends (a
// trap on EXIT), for cleaning up what it started; the commands run in the
// order added, and a failure of one is ignored. Each call writes the trap
// again with every command so far.
func (s *Script) OnExit(args ...Word) {
	if len(args) == 0 {
		s.errs = append(s.errs, "empty exit command")
		return
	}
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = s.word(a, i == 0)
	}
	s.onExit = append(s.onExit, strings.Join(words, " ")+" || true")
	s.buf.WriteString("trap " + quote(strings.Join(s.onExit, "; "), false) + " EXIT\n")
}

// ScriptDir sets the variable name to the folder the script is in, for
// the files it ships with:
//
//	NAME="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
func (s *Script) ScriptDir(name string) {
	if !s.declare(name) {
		return
	}
	s.buf.WriteString(name + `="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"` + "\n")
}

func validFile(name string) bool {
	if name == "" || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
