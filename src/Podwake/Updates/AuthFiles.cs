namespace Podwake.Updates;

/// <summary>
/// podman's auth files (containers-auth.json(5)) for one user, read once: <c>{"auths": {"KEY": {"auth":
/// "base64(user:password)"}}}</c>. The lookup is containers/image's (<c>pkg/docker/config</c>): files in order, the first
/// file with usable credentials wins; within a file a credHelpers entry for the registry first, then the exact keys
/// <c>REGISTRY/NAMESPACE/REPO</c> down to <c>REGISTRY</c> (the longest wins), then keys normalized from docker's
/// older forms (<c>https://HOST/v1/</c>).
/// </summary>
internal sealed class AuthFiles
{
    private readonly IReadOnlyList<AuthFile> _files;

    private AuthFiles(IReadOnlyList<string> searched, IReadOnlyList<AuthFile> files)
    {
        Searched = searched;
        _files = files;
    }

    /// <summary>Every path looked at, present or not (for the message when none had credentials).</summary>
    public IReadOnlyList<string> Searched { get; }

    /// <exception cref="InvalidDataException">A file exists but is not podman's JSON.</exception>
    public static AuthFiles Load(IReadOnlyList<string> paths)
    {
        var files = new List<AuthFile>();
        foreach (var path in paths)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }

            files.Add(AuthFile.Parse(path, text));
        }

        return new AuthFiles(paths, files);
    }

    public AuthLookup Find(ImageLocation image)
    {
        string? unsupported = null;
        foreach (var file in _files)
        {
            if (file.CredHelpers.TryGetValue(image.Registry, out var helper))
            {
                // podman asks the helper and stops there.
                return new AuthLookup(null, $"{file.Path} names the credential helper \"{helper}\" for {image.Registry} (credHelpers), which podwake does not support");
            }

            var entry = Keys(image).Select(key => file.Auths.GetValueOrDefault(key)).FirstOrDefault(found => found is not null)
                ?? file.Auths.Where(pair => NormalizeKey(pair.Key) == image.Registry).Select(pair => pair.Value).FirstOrDefault();
            if (entry is { IdentityToken: { Length: > 0 } })
            {
                return new AuthLookup(null, $"{file.Path} holds an identity token for {image.Registry}, which podwake does not support");
            }

            if (entry?.Decode(file.Path) is { } credentials)
            {
                return new AuthLookup(credentials, null);
            }

            if (file.CredsStore is { } store)
            {
                unsupported ??= $"{file.Path} names the credential store \"{store}\" (credsStore), which podwake (like podman) does not read";
            }
        }

        return new AuthLookup(null, unsupported);
    }

    /// <summary><c>REGISTRY/A/B/REPO</c>, <c>REGISTRY/A/B</c>, …, <c>REGISTRY</c>: the longest key first.</summary>
    public static IEnumerable<string> Keys(ImageLocation image)
    {
        var key = image.Name;
        while (true)
        {
            yield return key;
            var slash = key.LastIndexOf('/');
            if (slash < 0)
            {
                yield break;
            }

            key = key[..slash];
        }
    }

    /// <summary>containers/image's <c>normalizeAuthFileKey</c>: no scheme, no path, Docker Hub's hosts as docker.io.</summary>
    public static string NormalizeKey(string key)
    {
        var stripped = key;
        foreach (var scheme in (string[])["http://", "https://"])
        {
            if (stripped.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                stripped = stripped[scheme.Length..];
            }
        }

        var slash = stripped.IndexOf('/', StringComparison.Ordinal);
        return ImageLocation.NormalizeRegistry(slash >= 0 ? stripped[..slash] : stripped);
    }
}
