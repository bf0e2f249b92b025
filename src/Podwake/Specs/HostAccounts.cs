using System.Globalization;

namespace Podwake.Specs;

/// <summary>Local accounts as <c>/etc/passwd</c> lists them (where useradd, and so deploy, creates them).</summary>
internal static class HostAccounts
{
    /// <summary>The account's UID and comment (GECOS), or null when <paramref name="name"/> is not a local account.</summary>
    public static (int Uid, string Comment)? Find(string name) => Find(name, "/etc/passwd");

    internal static (int Uid, string Comment)? Find(string name, string passwdFile)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(passwdFile);
            foreach (var line in lines)
            {
                // name:password:UID:GID:comment:home:shell
                var fields = line.Split(':');
                if (fields.Length >= 5 && fields[0] == name && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                {
                    return (uid, fields[4]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No passwd to read (a minimal container): no account, so no old-style user: to point out.
        }

        return null;
    }
}
