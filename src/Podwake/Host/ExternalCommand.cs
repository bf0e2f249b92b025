using System.ComponentModel;
using System.Diagnostics;

namespace Podwake.Host;

/// <summary>
/// Runs a host tool (systemctl, podman, useradd, ...) to completion and captures what it printed. For
/// deploy-time work and for the few calls a systemd wake makes; never on a proxy's hot path.
/// </summary>
internal static class ExternalCommand
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; stdin gets <paramref name="standardInput"/>, then closes.</summary>
    /// <param name="environment">Variables to set (a null value removes one) on top of this process's environment.</param>
    /// <param name="workingDirectory">
    /// Where the program runs; null = this process's. Programs run as another user (runuser) need one that user may
    /// read: rootless podman fails in a directory it cannot enter.
    /// </param>
    /// <param name="line">
    /// Gets each line the program prints (stdout or stderr, one at a time) as it comes, for progress; everything is
    /// still captured in the result.
    /// </param>
    /// <exception cref="EnvironmentException">The program does not exist; the message says which package installs it.</exception>
    public static async Task<ExternalCommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default,
        string? workingDirectory = null,
        string? standardInput = null,
        Action<string>? line = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new EnvironmentException($"Failed to run {fileName}: {ex.Message}; {InstallHint(fileName)}", ex);
        }

        if (standardInput is not null)
        {
            // Small documents (a CNI plugin's configuration): the program reads them before it writes much.
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        var gate = new Lock();
        var stdout = ReadAsync(process.StandardOutput, line, gate);
        var stderr = ReadAsync(process.StandardError, line, gate);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ExternalCommandResult(
            DisplayName(fileName, start.ArgumentList), process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static async Task<string> ReadAsync(StreamReader reader, Action<string>? line, Lock gate)
    {
        if (line is null)
        {
            return await reader.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var all = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } text)
        {
            all.Append(text).Append('\n');
            lock (gate)
            {
                line(text);
            }
        }

        return all.ToString();
    }

    private static string DisplayName(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(fileName).Select(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? $"'{a}'" : a));

    private static string InstallHint(string fileName) => Path.GetFileName(fileName) switch
    {
        "podman" => "install it: apt-get install podman",
        "systemctl" or "systemd-run" or "systemd-escape" => "install systemd: apt-get install systemd",
        "loginctl" => "install systemd (logind): apt-get install systemd",
        "useradd" or "userdel" or "usermod" => "install passwd: apt-get install passwd",
        "runuser" => "install util-linux: apt-get install util-linux",
        "ip" => "install iproute2: apt-get install iproute2",
        _ => "check that it is installed and on PATH",
    };
}
