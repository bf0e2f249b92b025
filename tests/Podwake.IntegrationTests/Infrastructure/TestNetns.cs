using System.Diagnostics;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Network namespaces made for one test with <c>ip netns add</c> (root only), loopback up; deleted on dispose.</summary>
internal sealed class TestNetns : IDisposable
{
    private TestNetns(IReadOnlyList<string> names) => Names = names;

    public IReadOnlyList<string> Names { get; }

    public static TestNetns Create(int count)
    {
        var prefix = "pwit-" + Guid.NewGuid().ToString("N")[..8];
        var names = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToList();
        var made = new TestNetns(names);
        try
        {
            foreach (var name in names)
            {
                Run("ip", "netns", "add", name);
                Run("ip", "-n", name, "link", "set", "lo", "up");
            }

            return made;
        }
        catch
        {
            made.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="program"/> inside namespace <paramref name="name"/> (ip netns exec).</summary>
    public static Task<CliResult> ExecAsync(string name, string program, params string[] arguments) =>
        PodwakeCli.RunProgramAsync("ip", ["netns", "exec", name, program, .. arguments]);

    public void Dispose()
    {
        foreach (var name in Names)
        {
            using var process = Process.Start(new ProcessStartInfo("ip", ["netns", "del", name]) { RedirectStandardError = true });
            process?.WaitForExit();
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
