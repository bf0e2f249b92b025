namespace Podwake.Host;

/// <summary>
/// A path root would write through on another user's behalf is a symbolic link, not a directory, or someone else's:
/// podwake refuses it rather than follow it (an environment error, exit 2; the message says what to remove).
/// </summary>
internal sealed class UnsafePathException : IOException
{
    public UnsafePathException(string path, string problem, string fix)
        : base($"refusing to deploy into {path}: {problem}; {fix} and deploy again")
    {
        PathName = path;
        Problem = problem;
    }

    /// <summary>The refused path.</summary>
    public string PathName { get; }

    /// <summary>What is wrong with it ("it is a symbolic link to /etc/systemd/system").</summary>
    public string Problem { get; }
}
