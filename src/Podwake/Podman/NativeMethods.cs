using System.Runtime.InteropServices;

namespace Podwake.Podman;

/// <summary>libc calls .NET does not wrap: sending SIGTERM (Process.Kill only sends SIGKILL).</summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
