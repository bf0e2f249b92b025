namespace Podwake.Podman;

/// <summary>
/// Removes <c>podman-PID.sock</c> files that a podwake killed with SIGKILL left in its runtime directory: those whose
/// PID no longer runs or is no podwake (a PID the kernel gave to another program since).
/// </summary>
internal static class StaleSockets
{
    public static void Remove(string directory, int ownPid, Action<string>? log)
    {
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(directory, "podman-*.sock").ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!int.TryParse(name.AsSpan("podman-".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || pid == ownPid || IsPodwake(pid))
            {
                continue;
            }

            try
            {
                File.Delete(file);
                log?.Invoke($"removed {file}, left by podwake {pid} that no longer runs");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log?.Invoke($"Failed to remove stale {file}: {e.Message}");
            }
        }
    }

    /// <summary>Whether <paramref name="pid"/> runs podwake (the apphost, the NativeAOT binary, or <c>dotnet podwake.dll</c>).</summary>
    internal static bool IsPodwake(int pid)
    {
        try
        {
            if (File.ReadAllText($"/proc/{pid}/comm").Trim() == "podwake")
            {
                return true;
            }

            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Take(2).Any(a => Path.GetFileName(a) is "podwake" or "podwake.dll");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // no such process
        }
    }
}
