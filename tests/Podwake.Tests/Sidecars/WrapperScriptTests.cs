using System.Diagnostics;
using Podwake.Sidecars;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Sidecars;

/// <summary>
/// The wrapper as a shell runs it (dash, and busybox's ash as a minimal container has it), against a state folder
/// whose answers the test writes: what the call records, and how each answer reaches the caller.
/// </summary>
public sealed class WrapperScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SidecarPaths _paths;
    private readonly string _wrapper;

    public WrapperScriptTests()
    {
        _paths = new SidecarPaths(Path.Join(_dir.Path, "state dir's"));
        foreach (var folder in new[] { _paths.Calls, _paths.Keys, _paths.Status })
        {
            Directory.CreateDirectory(folder);
        }

        _wrapper = Path.Join(_dir.Path, "wrapper");
    }

    public static TheoryData<string> Shells => new() { "/bin/dash", "busybox sh" };

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task ACall_RecordsItsArgumentsAndNamedVariablesExactly_AndReturnsOnRunning(string shell)
    {
        Write(Spec(passEnv: ["PASSED"], key: new SidecarKey { Kind = SidecarKeyKind.Env, Variable = "NET" }));
        string[] arguments = ["two words", "quote ' \" $(touch /tmp/pw) `id`", "line\nbreak", "../x", "-k", ""];
        var run = Start(shell, arguments, new() { ["PASSED"] = "a $b", ["NET"] = "n1", ["NOT_NAMED"] = "secret" });

        var call = await TakeCallAsync();
        await File.WriteAllTextAsync(Path.Join(_paths.Status, call.Id), "running\n");
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(arguments, call.Arguments);
        Assert.Equal(new Dictionary<string, string> { ["PASSED"] = "a $b", ["NET"] = "n1" }, call.Environment);
        Assert.False(call.Foreground);
        Assert.NotNull(call.NetnsInode);
        Assert.False(File.Exists(Path.Join(_paths.Status, call.Id)));
        Assert.False(File.Exists("/tmp/pw"));
        Assert.True(File.Exists(_paths.Timestamp));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AFailedAnswer_IsTheCallersStderr_AndExit125(string shell)
    {
        Write(Spec());
        var run = Start(shell, ["x"], []);
        var call = await TakeCallAsync();
        await File.WriteAllTextAsync(Path.Join(_paths.Status, call.Id), "failed\nthe caller is not in a named network namespace\n");

        var result = await run;

        Assert.Equal(WrapperScript.FailureExitCode, result.ExitCode);
        Assert.Equal("svc: the caller is not in a named network namespace\n", result.Stderr);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AForegroundCall_WaitsPastRunning_AndPassesExitCodeAndBothStreams(string shell)
    {
        Write(Spec());
        var run = Start(shell, ["x"], new() { ["PODWAKE_FOREGROUND"] = "1" });
        var call = await TakeCallAsync();
        Assert.True(call.Foreground);
        await File.WriteAllTextAsync(Path.Join(_paths.Status, call.Id), "running\n");
        await Task.Delay(300);
        Assert.False(run.IsCompleted);

        await File.WriteAllBytesAsync(Path.Join(_paths.Status, call.Id + ".out"), "out\nno newline at the end"u8.ToArray());
        await File.WriteAllBytesAsync(Path.Join(_paths.Status, call.Id + ".err"), "err\n"u8.ToArray());
        await File.WriteAllTextAsync(Path.Join(_paths.Status, call.Id), "exited 7\n");
        var result = await run;

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\nno newline at the end", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_paths.Status));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task NobodyTakesTheCall_WithinTheTimeout_ItIsWithdrawn_Exit125(string shell)
    {
        Write(Spec(timeout: TimeSpan.FromSeconds(1)));

        var result = await Start(shell, ["x"], []);

        Assert.Equal(WrapperScript.FailureExitCode, result.ExitCode);
        Assert.Contains("did not take the call within 1s (withdrawn)", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_paths.Calls));
    }

    [Fact]
    public async Task AMissingStateFolder_SaysToDeployOrServe()
    {
        Write(Spec());
        Directory.Delete(_paths.Calls);

        var result = await Start("/bin/dash", ["x"], []);

        Assert.Equal(WrapperScript.FailureExitCode, result.ExitCode);
        Assert.Contains("is the service deployed or served", result.Stderr, StringComparison.Ordinal);
    }

    private ServiceSpec Spec(IReadOnlyList<string>? passEnv = null, SidecarKey? key = null, TimeSpan? timeout = null) => new()
    {
        Name = "svc",
        Image = "localhost/x:1",
        Ready = new ReadySpec { Kind = ReadyKind.Tcp, Port = 0 },
        Location = new SourceLocation("f", 1, 1),
        Sidecar = new SidecarSpec
        {
            Wrapper = _wrapper,
            Command = ["/bin/true"],
            Key = key ?? SidecarKey.Netns,
            PassEnv = passEnv ?? [],
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
            Location = new SourceLocation("f", 1, 1),
        },
    };

    private void Write(ServiceSpec spec)
    {
        File.WriteAllText(_wrapper, WrapperScript.Render(spec, _paths));
        File.SetUnixFileMode(_wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The one call the wrapper renamed into calls/ (waits for it), parsed and taken out.</summary>
    private async Task<SidecarCall> TakeCallAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if (Directory.EnumerateFiles(_paths.Calls, "*.call").FirstOrDefault() is { } file)
            {
                var call = SidecarCallFile.Parse(await File.ReadAllTextAsync(file), out var problem) ?? throw new InvalidOperationException(problem);
                File.Delete(file);
                return call;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("the wrapper wrote no call");
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> Start(string shell, string[] arguments, Dictionary<string, string> environment)
    {
        var words = shell.Split(' ');
        var start = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in words[1..])
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add(_wrapper);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
