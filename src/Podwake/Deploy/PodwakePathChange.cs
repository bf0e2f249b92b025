namespace Podwake.Deploy;

/// <summary>
/// Whether an installed unit differs from the planned one only in the podwake binary its command lines run
/// (<c>ExecStart=/old/podwake activate NAME ...</c>): deployed before by another podwake, e.g. a checkout's build before
/// podwake was installed as a copy (scripts/setup). Such a unit is rewritten, but what runs is not restarted for it: the
/// running activator goes on until it idles out, and the next wake starts the new path. Restarting would stop a serving
/// container only to swap the binary of its activator.
/// </summary>
internal static class PodwakePathChange
{
    public static bool IsOnly(string installed, string planned)
    {
        var old = installed.Split('\n');
        var now = planned.Split('\n');
        if (old.Length != now.Length)
        {
            return false;
        }

        var differs = false;
        for (var i = 0; i < old.Length; i++)
        {
            if (old[i] == now[i])
            {
                continue;
            }

            if (Program(old[i]) is not { } before || Program(now[i]) is not { } after
                || before.Key != after.Key || before.Arguments != after.Arguments)
            {
                return false;
            }

            differs = true;
        }

        return differs;
    }

    /// <summary>
    /// An <c>Exec...=</c> line whose program is a podwake binary (an absolute path ending in <c>/podwake</c>, as
    /// SystemdQuoting writes it: plain, or in double quotes); the key, and the arguments after the program.
    /// </summary>
    private static (string Key, string Arguments)? Program(string line)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (!line.StartsWith("Exec", StringComparison.Ordinal) || equals < 0)
        {
            return null;
        }

        var value = line[(equals + 1)..];
        int end;
        string program;
        if (value.StartsWith('"'))
        {
            end = value.IndexOf('"', 1);
            if (end < 0)
            {
                return null;
            }

            program = value[1..end];
            end++;
        }
        else
        {
            end = value.IndexOf(' ', StringComparison.Ordinal) is var space and >= 0 ? space : value.Length;
            program = value[..end];
        }

        return program.StartsWith('/') && program.EndsWith("/podwake", StringComparison.Ordinal) && !program.Contains('\\', StringComparison.Ordinal)
            ? (line[..(equals + 1)], value[end..])
            : null;
    }
}
