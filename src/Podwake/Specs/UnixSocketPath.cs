using System.Text;

namespace Podwake.Specs;

/// <summary>
/// <c>listen:</c> values that name a unix stream socket: an absolute path (<c>/run/web.sock</c>) or <c>@NAME</c> in
/// Linux's abstract namespace, as systemd.socket(5)'s <c>ListenStream=</c> takes them.
/// </summary>
internal static class UnixSocketPath
{
    /// <summary>sizeof(sun_path) less its terminating NUL (unix(7)); an abstract name has its leading NUL there instead.</summary>
    public const int MaxBytes = 107;

    public const string Forms = "an absolute path such as /run/web.sock (rootless: under $XDG_RUNTIME_DIR, e.g. /run/user/1000/web.sock) or @NAME for Linux's abstract namespace";

    /// <summary>True when <paramref name="text"/> is meant as a unix socket: it starts with / or @, or looks like a relative path.</summary>
    public static bool LooksLikeOne(string text) =>
        text.StartsWith('/') || text.StartsWith('@') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
        || text.StartsWith('~') || text.EndsWith(".sock", StringComparison.Ordinal) || (text.Contains('/', StringComparison.Ordinal) && !text.StartsWith('['));

    /// <summary>Checks a value <see cref="LooksLikeOne"/> accepted; on failure <paramref name="problem"/> says what is wrong and how to fix it.</summary>
    public static bool TryParse(string text, out string problem)
    {
        problem = "";
        var bytes = Encoding.UTF8.GetByteCount(text) - (text.StartsWith('@') ? 1 : 0);
        if (text.StartsWith('@'))
        {
            if (text.Length == 1)
            {
                problem = "\"@\" names no abstract socket; write a name after it, e.g. @web";
            }
            else if (text.Any(char.IsWhiteSpace))
            {
                problem = $"\"{text}\" contains whitespace; systemd's ListenStream= cannot carry it: choose a name without, e.g. @web";
            }
        }
        else if (!text.StartsWith('/'))
        {
            problem = $"\"{text}\" is a relative path; a unix socket listener needs an absolute one (podwake and systemd bind it from another folder): write e.g. /run/web.sock, or /run/user/UID/web.sock for a rootless service";
        }
        else if (text.EndsWith('/'))
        {
            problem = $"\"{text}\" ends with '/', a folder; name the socket file in it, e.g. {text}web.sock";
        }
        else if (text.Split('/').Any(part => part is "." or ".."))
        {
            problem = $"\"{text}\" has a \".\" or \"..\" component; write the path without them (systemd refuses paths that are not normalized)";
        }
        else if (text.Contains("//", StringComparison.Ordinal))
        {
            problem = $"\"{text}\" has an empty component (\"//\"); write it with single slashes";
        }
        else if (text.Any(char.IsWhiteSpace))
        {
            problem = $"\"{text}\" contains whitespace; systemd's ListenStream= cannot carry it: choose a path without";
        }

        if (problem.Length == 0 && bytes > MaxBytes)
        {
            problem = $"\"{text}\" is {bytes} bytes long; a unix socket address holds at most {MaxBytes} (sun_path, unix(7)): choose a shorter path, e.g. /run/NAME.sock";
        }

        return problem.Length == 0;
    }
}
