using System.Globalization;
using Podwake.Host;

namespace Podwake.Deploy;

/// <summary>
/// Creating and removing the account of a <c>run_as:</c> service (root only), set up for rootless podman the way
/// scripts/setup-dev sets up its test user: a home, subordinate UID/GID ranges, <c>/run/user/UID</c>, overlay storage.
/// </summary>
internal static class ServiceUsers
{
    /// <summary>65536 IDs per user, as useradd gives (SUB_UID_COUNT in login.defs).</summary>
    private const int SubordinateCount = 65536;

    private const int SubordinateFloor = 100000;

    public static async Task<UnixUser> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        (await ExternalCommand.RunAsync(
            "useradd",
            ["--create-home", "--user-group", "--shell", "/usr/sbin/nologin", "--comment", "podwake service", name],
            cancellationToken: cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"create the user {name}");
        var user = await UnixUser.FindAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"Failed to find the user {name} that useradd just created");

        // useradd fills /etc/subuid and /etc/subgid when login.defs allows; some setups (or a system account) do not.
        if (!HasRange("/etc/subuid", name) || !HasRange("/etc/subgid", name))
        {
            var start = Math.Max(SubordinateFloor, Math.Max(RangesEnd("/etc/subuid"), RangesEnd("/etc/subgid")));
            var range = $"{start.ToString(CultureInfo.InvariantCulture)}-{(start + SubordinateCount - 1).ToString(CultureInfo.InvariantCulture)}";
            List<string> arguments = [];
            if (!HasRange("/etc/subuid", name))
            {
                arguments.AddRange(["--add-subuids", range]);
            }

            if (!HasRange("/etc/subgid", name))
            {
                arguments.AddRange(["--add-subgids", range]);
            }

            (await ExternalCommand.RunAsync("usermod", [.. arguments, name], cancellationToken: cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"give {name} subordinate IDs");
        }

        HostFiles.CreateRuntimeDirectory(user);

        // overlay, not podman's slow vfs fallback (README, "Host notes").
        var storage = Path.Combine(user.Home, ".config", "containers", "storage.conf");
        if (!HostFiles.Exists(storage, user))
        {
            await HostFiles.WriteAtomicallyAsync(storage, "[storage]\ndriver = \"overlay\"\n", user, cancellationToken).ConfigureAwait(false);
        }

        return user;
    }

    /// <summary>Removes the account, its home and its runtime directory; its processes must be gone already.</summary>
    public static async Task DeleteAsync(UnixUser user, CancellationToken cancellationToken = default)
    {
        (await ExternalCommand.RunAsync("userdel", ["--remove", user.Name], cancellationToken: cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"remove the user {user.Name}");

        // A rootless store holds files of the user's subordinate IDs, which userdel may leave; and /run/user/UID is ours.
        foreach (var directory in new[] { user.Home, user.RuntimeDirectory })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        // Older shadow versions leave the subordinate ranges behind; a new user of that name would inherit them.
        foreach (var file in new[] { "/etc/subuid", "/etc/subgid" })
        {
            if (HasRange(file, user.Name))
            {
                await ExternalCommand.RunAsync("usermod", [file.EndsWith("uid", StringComparison.Ordinal) ? "--del-subuids" : "--del-subgids", Range(file, user.Name), user.Name], cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<string[]> Lines(string file) =>
        File.Exists(file) ? File.ReadAllLines(file).Select(l => l.Split(':')).Where(f => f.Length == 3) : [];

    private static bool HasRange(string file, string name) => Lines(file).Any(f => f[0] == name);

    private static string Range(string file, string name)
    {
        var fields = Lines(file).First(f => f[0] == name);
        var start = long.Parse(fields[1], CultureInfo.InvariantCulture);
        return $"{start}-{start + long.Parse(fields[2], CultureInfo.InvariantCulture) - 1}";
    }

    /// <summary>The first ID after every range in <paramref name="file"/>, so a new range overlaps none.</summary>
    private static int RangesEnd(string file) =>
        Lines(file)
            .Select(f => (int.TryParse(f[1], CultureInfo.InvariantCulture, out var s), s, int.TryParse(f[2], CultureInfo.InvariantCulture, out var c), c))
            .Where(r => r.Item1 && r.Item3)
            .Select(r => r.s + r.c)
            .DefaultIfEmpty(0)
            .Max();
}
