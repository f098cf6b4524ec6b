#!/bin/sh
# Installs podtui from this unpacked release under PREFIX (default ~/.local), without root:
#   PREFIX/bin/podtui, PREFIX/bin/podtui-sim, the man page, bash/zsh/fish completions and
#   PREFIX/share/doc/podtui/copyright.
#
#   ./install.sh [PREFIX]               e.g. ./install.sh  or  ./install.sh /opt/podtui
#   ./install.sh --uninstall [PREFIX]   removes exactly those files again
#
# Each file is copied beside its place and renamed over it, so a podtui that is running
# while you upgrade keeps its old file intact. Nothing else under PREFIX is touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
uninstall=0
if [ "${1:-}" = "--uninstall" ]; then uninstall=1; shift; fi
prefix="${1:-$HOME/.local}"
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

# SOURCE (relative to this folder) and MODE; the same path under PREFIX.
files="bin/podtui 0755
bin/podtui-sim 0755
share/man/man1/podtui.1 0644
share/bash-completion/completions/podtui 0644
share/zsh/site-functions/_podtui 0644
share/fish/vendor_completions.d/podtui.fish 0644
share/doc/podtui/copyright 0644"

echo "$files" | while read -r path mode; do
  dest="$prefix/$path"
  if [ "$uninstall" = 1 ]; then
    rm -f "$dest"
    continue
  fi
  mkdir -p "$(dirname "$dest")"
  cp "$here/$path" "$dest.tmp.$$"
  chmod "$mode" "$dest.tmp.$$"
  mv -f "$dest.tmp.$$" "$dest"
done
if [ "$uninstall" = 1 ]; then
  echo "podtui removed from $prefix"
  exit 0
fi

echo "podtui $("$prefix/bin/podtui" --version) installed under $prefix"
case ":${PATH}:" in
  *":$prefix/bin:"*) ;;
  *) echo "  add it to your PATH:  export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
# man finds PREFIX/share/man by itself for a PREFIX/bin on PATH; bash-completion and fish
# read ~/.local/share on their own. zsh reads no user folder unless told:
echo "  zsh completions: add  fpath=($prefix/share/zsh/site-functions \$fpath)  before compinit in ~/.zshrc"
