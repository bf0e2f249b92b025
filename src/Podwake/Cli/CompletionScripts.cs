namespace Podwake.Cli;

/// <summary>
/// The completion scripts <c>podwake completion SHELL</c> prints. Each hands the words before the cursor to
/// <c>podwake "[suggest:POSITION]" "LINE"</c> (<see cref="SuggestAction"/>: the same command tree as <c>--help</c>, so
/// a new command or option completes with no change here) and offers what it prints; <c>:files</c> adds the shell's
/// own file-name completion. The first word is sent as <c>podwake</c> whatever path the program was typed with.
/// </summary>
internal static class CompletionScripts
{
    public static IReadOnlyList<string> Shells { get; } = ["bash", "zsh", "fish"];

    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh or fish"),
    };

    /// <summary>For <c>source &lt;(podwake completion bash)</c> or a file in bash-completion's directory.</summary>
    private const string Bash = """
        # bash completion for podwake (podwake completion bash)
        _podwake()
        {
            local cur=${COMP_WORDS[COMP_CWORD]}
            local line=${COMP_LINE:0:COMP_POINT}
            line="podwake ${line#*[[:space:]]}"
            local IFS=$'\n'
            local -a candidates
            candidates=($("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null))
            COMPREPLY=()
            local candidate files=
            for candidate in "${candidates[@]}"; do
                if [[ $candidate == :files ]]; then
                    files=1
                else
                    COMPREPLY+=("$candidate")
                fi
            done
            if [[ -n $files ]]; then
                compopt -o filenames 2>/dev/null
                COMPREPLY+=($(compgen -f -- "$cur"))
            fi
            return 0
        }
        complete -F _podwake podwake

        """;

    /// <summary>For <c>source &lt;(podwake completion zsh)</c> after compinit, or as <c>_podwake</c> in a directory of <c>$fpath</c>.</summary>
    private const string Zsh = """
        #compdef podwake
        # zsh completion for podwake (podwake completion zsh)
        _podwake()
        {
            local line="podwake ${(j: :)${words[2,CURRENT]}}"
            local -a candidates completions
            candidates=("${(@f)$(${words[1]} "[suggest:${#line}]" "$line" 2>/dev/null)}")
            local candidate files=0
            for candidate in $candidates; do
                if [[ $candidate == :files ]]; then
                    files=1
                else
                    completions+=("$candidate")
                fi
            done
            (( $#completions )) && compadd -- $completions
            (( files )) && _files
            return 0
        }
        if [[ "$funcstack[1]" == _podwake ]]; then
            _podwake "$@"
        else
            compdef _podwake podwake
        fi

        """;

    /// <summary>For <c>podwake completion fish | source</c>, or <c>~/.config/fish/completions/podwake.fish</c>.</summary>
    private const string Fish = """
        # fish completion for podwake (podwake completion fish)
        function __podwake_complete
            set -l words (commandline -opc)
            set -l program $words[1]
            set -e words[1]
            set -l prefix (string join ' ' podwake $words)
            set -l current (commandline -ct)
            set -l line "$prefix $current"
            for candidate in ($program "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)
                if test "$candidate" = :files
                    __fish_complete_path "$current"
                else
                    printf '%s\n' $candidate
                end
            end
        end
        complete -c podwake -f -a '(__podwake_complete)'

        """;
}
