using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Cli;

/// <summary>
/// <c>podwake completion SHELL</c> loaded into the real shell, completing with the built binary (on PATH as
/// <c>podwake</c>) in a HOME that holds the spec copy of a deployed service <c>cmpl-web</c>: no deploy needed.
/// bash, zsh and fish are Debian packages (scripts/test installs zsh and fish).
/// </summary>
public sealed class ShellCompletionTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public ShellCompletionTests()
    {
        _home.Write(".config/podwake/services/cmpl-web.yaml", "name: cmpl-web\nimage: localhost/none:1\nports: [{listen: 8080, container: 8080}]\n");
        _home.CreateDirectory("files/a-dir");
        _home.Write("files/app.yaml", "");
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Bash_CompletesASubcommandADeployedNameAndAFile()
    {
        const string script = """
            source <(podwake completion bash)
            c() {
                COMP_LINE=$1; COMP_POINT=${#COMP_LINE}
                read -ra COMP_WORDS <<< "$1"; [[ $1 == *' ' ]] && COMP_WORDS+=("")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                _podwake
                echo "$1|${COMPREPLY[*]}"
            }
            c "podwake dep"
            c "podwake status cmpl"
            c "podwake validate $HOME/files/ap"
            """;

        var output = await RunShellAsync("bash", ["-c", script]);

        Assert.Equal($"podwake dep|deploy\npodwake status cmpl|cmpl-web\npodwake validate {_home.Path}/files/ap|{_home.Path}/files/app.yaml\n", output);
    }

    [Fact]
    public async Task Zsh_CompletesASubcommandADeployedNameAndAFile()
    {
        // compadd and _files only work inside a completion widget: stand-ins print what the function hands them.
        const string script = """
            compdef() { :; }
            compadd() { shift; print -r -- "compadd $*"; }
            _files() { print -r -- "_files"; }
            source <(podwake completion zsh)
            words=(podwake dep); CURRENT=2; _podwake
            words=(podwake status cmpl); CURRENT=3; _podwake
            words=(podwake validate ./ap); CURRENT=3; _podwake
            """;

        var output = await RunShellAsync("zsh", ["-c", script]);

        Assert.Equal("compadd deploy\ncompadd cmpl-web\n_files\n", output);
    }

    [Fact]
    public async Task Fish_CompletesASubcommandADeployedNameAndAFile()
    {
        var script = $"""
            podwake completion fish | source
            complete -C'podwake dep'
            complete -C'podwake status cmpl'
            complete -C'podwake validate {_home.Path}/files/ap'
            """;

        var output = await RunShellAsync("fish", ["-c", script]);

        Assert.Equal($"deploy\ncmpl-web\n{_home.Path}/files/app.yaml\n", output);
    }

    [Theory]
    [InlineData("bash", "-n")]
    [InlineData("zsh", "-n")]
    [InlineData("fish", "--no-execute")]
    public async Task Script_IsValidSyntaxForItsShell(string shell, string check)
    {
        var script = _home.Write($"podwake.{shell}", (await PodwakeCli.RunAsync("completion", shell)).Stdout);

        await RunShellAsync(shell, [check, script]);
    }

    private async Task<string> RunShellAsync(string shell, string[] arguments)
    {
        var program = new[] { "/usr/bin", "/bin" }.Select(d => Path.Join(d, shell)).FirstOrDefault(File.Exists);
        Assert.True(program is not null, $"{shell} is not installed: apt-get install {shell} (scripts/test installs it)");
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["HOME"] = _home.Path;
        start.Environment["PATH"] = $"{AppContext.BaseDirectory}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["XDG_CONFIG_HOME"] = Path.Join(_home.Path, ".config");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0 && (await stderr).Length == 0, $"{shell} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
