using System.Globalization;

namespace Podwake.Sidecars;

/// <summary>
/// What a waiting wrapper reads in <c>status/ID</c>: <c>running</c> (its container runs), <c>exited CODE</c> (a
/// foreground call's container ended; its output beside it) or <c>failed</c> and why on the next line.
/// </summary>
internal sealed record SidecarAnswer(string Word, int? ExitCode = null, string? Message = null, byte[]? Stdout = null, byte[]? Stderr = null)
{
    public static SidecarAnswer Running { get; } = new("running");

    public static SidecarAnswer Failed(string message) => new("failed", Message: message);

    public static SidecarAnswer Exited(int code, byte[] stdout, byte[] stderr) => new("exited", code, Stdout: stdout, Stderr: stderr);

    public string Format() => Word switch
    {
        "exited" => $"exited {ExitCode!.Value.ToString(CultureInfo.InvariantCulture)}\n",
        "failed" => $"failed\n{Message!.ReplaceLineEndings(" ")}\n",
        _ => Word + "\n",
    };
}
