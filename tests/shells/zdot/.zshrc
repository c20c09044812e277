# The .zshrc of a throwaway interactive zsh that completes one line and
# writes every candidate to $OUTFILE (then `<<done>>`), driven by complete.zsh.
fpath=("$COMPDIR" $fpath)
autoload -Uz compinit && compinit -u -D
PROMPT='> '
unsetopt beep
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
bindkey '^I' complete-word
# Wrap compadd: the real one still runs, and the candidates it accepts for
# the word being completed (-A collects them, matched against the prefix)
# are recorded. Calls that only ask (-O, -A, -D) pass straight through.
compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return $?
  fi
  local -a __hits
  builtin compadd -A __hits "$@"
  (( $#__hits )) && print -rl -- $__hits >> "$OUTFILE"
  builtin compadd "$@"
}
_tt_done() { print -r -- '<<done>>' >> "$OUTFILE" }
comppostfuncs=(_tt_done)
