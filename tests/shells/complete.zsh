#!/usr/bin/env zsh
# complete.zsh DIR LINE...: for each LINE, start an interactive zsh (in a
# pseudo-terminal, zsh/zpty) whose fpath has DIR (holding _therapy-timer),
# type LINE and press TAB; print `<<line>> LINE`, then the candidates.
emulate -L zsh
zmodload zsh/zpty || { print -u2 "no zsh/zpty"; exit 3 }
dir=$1; shift
here=${0:A:h}
out=$(mktemp)
for line in "$@"; do
  : >| $out
  zpty tt "ZDOTDIR=${(q)here}/zdot COMPDIR=${(q)dir} OUTFILE=${(q)out} zsh -d -i"
  zpty -w -n tt "$line"$'\t'
  integer i=0
  until grep -q '^<<done>>$' $out 2>/dev/null || (( ++i > 100 )); do sleep 0.1; done
  zpty -d tt
  print -r -- "<<line>> $line"
  grep -v '^<<done>>$' $out
  (( i > 100 )) && print -r -- "<<timeout>>"
done
rm -f $out
