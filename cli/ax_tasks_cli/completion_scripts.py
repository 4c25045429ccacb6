"""The completion scripts ``ax-tasks completion SHELL`` prints, one per shell.

Each runs ``ax-tasks`` with ``_AX_TASKS_COMPLETE`` set (see ``completing``) and hands what it
prints to the shell: candidates one per line, ``value<TAB>description``, or ``:files`` to let
the shell complete file names.  Whatever goes wrong, the program prints nothing, so the prompt
shows nothing.
"""

from __future__ import annotations

__all__ = ["SCRIPTS"]

BASH = r"""# ax-tasks completion for bash (4.4 or later).
# Load it from ~/.bashrc:   eval "$(ax-tasks completion bash)"
# or install it for bash-completion to load on demand:
#   mkdir -p ~/.local/share/bash-completion/completions
#   ax-tasks completion bash > ~/.local/share/bash-completion/completions/ax-tasks
_ax_tasks_complete() {
    local reply
    # bash splits words at = and :, which Arize IDs contain: ax-tasks reads the line itself.
    reply=$(_AX_TASKS_COMPLETE=bash _AX_TASKS_WORDBREAKS="$COMP_WORDBREAKS" \
        COMP_LINE="$COMP_LINE" COMP_POINT="$COMP_POINT" "${COMP_WORDS[0]}" 2>/dev/null)
    COMPREPLY=()
    if [[ $reply == ":files" ]]; then
        compopt -o default
    elif [[ -n $reply ]]; then
        mapfile -t COMPREPLY <<< "$reply"
    fi
    return 0
}
complete -F _ax_tasks_complete ax-tasks
"""

ZSH = r"""#compdef ax-tasks
# ax-tasks completion for zsh.
# Install it in a folder of your own:
#   mkdir -p ~/.zfunc
#   ax-tasks completion zsh > ~/.zfunc/_ax-tasks
# and add these lines to ~/.zshrc (fpath before any compinit; a new zsh runs none):
#   fpath=(~/.zfunc $fpath)
#   autoload -Uz compinit && compinit
# then start a new shell.  Or load it from ~/.zshrc, after compinit:
#   eval "$(ax-tasks completion zsh)"
_ax_tasks_complete() {
    local -a lines values shown
    local line
    # The words before the cursor, unquoted, then the current one up to the cursor, even when
    # empty: $PREFIX, which zsh gives without an open quote ('QA r: QA r), unlike $words.
    lines=("${(@f)$(_AX_TASKS_COMPLETE=zsh "${words[1]}" "${(@Q)words[2,CURRENT-1]}" \
        "${(Q)PREFIX}" 2>/dev/null)}")
    if [[ ${lines[1]} == ":files" ]]; then
        _files
        return
    fi
    for line in "${lines[@]}"; do
        [[ -z $line ]] && continue
        values+=("${line%%$'\t'*}")
        if [[ $line == *$'\t'* ]]; then
            shown+=("${line%%$'\t'*}  -- ${line#*$'\t'}")
        else
            shown+=("$line")
        fi
    done
    # zsh matches them again, in any case as ax-tasks did (-M, not -U): the word typed stays,
    # where -U would replace it with what they have in common, nothing when cases differ.
    local any_case='m:{[:lower:][:upper:]}={[:upper:][:lower:]}'
    (( ${#values} )) && compadd -M "$any_case" -l -d shown -a values
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
    _ax_tasks_complete "$@"
else
    compdef _ax_tasks_complete ax-tasks
fi
"""

FISH = r"""# ax-tasks completion for fish.
# Install it where fish loads completions from (then start a new shell):
#   mkdir -p ~/.config/fish/completions
#   ax-tasks completion fish > ~/.config/fish/completions/ax-tasks.fish
function __ax_tasks_complete
    set -l words (commandline -opc)
    # The word at the cursor as typed ('QA r, QA\ r), unquoted as fish would run it.
    set -l current (commandline -ct | string unescape)
    set -l lines (env _AX_TASKS_COMPLETE=fish $words "$current" 2>/dev/null)
    if test "$lines[1]" = ":files"
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $lines
end
complete --command ax-tasks --no-files --arguments '(__ax_tasks_complete)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}
