using System.Text.RegularExpressions;

namespace Podwake.Specs;

/// <summary>
/// Sanity checks for image references, after the grammar podman and docker share
/// (github.com/distribution/reference, <c>reference.go</c>): <c>[DOMAIN/]PATH[:TAG][@DIGEST]</c>.
/// </summary>
internal static partial class ImageReference
{
    public const string Example = "localhost/hello:1 or docker.io/library/nginx:1.27";

    /// <summary>Null when <paramref name="reference"/> is well formed, else what is wrong with it.</summary>
    public static string? Problem(string reference)
    {
        if (reference.Any(char.IsWhiteSpace))
        {
            return "it contains a space";
        }

        var name = reference;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var digest = name[(at + 1)..];
            if (!Digest().IsMatch(digest))
            {
                return $"the digest \"{digest}\" is not ALGORITHM:HEX, e.g. sha256: and 64 hex digits";
            }

            name = name[..at];
        }

        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > lastSlash)
        {
            var tag = name[(colon + 1)..];
            if (!Tag().IsMatch(tag))
            {
                return $"the tag \"{tag}\" is not valid; use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'";
            }

            name = name[..colon];
        }

        if (name.Length == 0)
        {
            return "it has no repository name";
        }

        if (name.Length > 255)
        {
            return "the name is longer than 255 characters";
        }

        // As docker's splitDockerDomain: the first component is a registry when it has a '.' or ':',
        // is "localhost", or has uppercase letters (repositories never do).
        var path = name;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var first = name[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
                || first == "localhost" || first.Any(char.IsUpper))
            {
                if (!Domain().IsMatch(first))
                {
                    return $"the registry \"{first}\" is not a host name with an optional :PORT";
                }

                path = name[(slash + 1)..];
            }
        }

        foreach (var component in path.Split('/'))
        {
            if (component.Any(char.IsUpper))
            {
                return $"the repository \"{path}\" must be lowercase";
            }

            if (!PathComponent().IsMatch(component))
            {
                return $"the repository \"{path}\" may only have lowercase letters and digits, separated by '/', '.', '_', '__' or '-'";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}\z")]
    private static partial Regex Digest();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]+)?\z")]
    private static partial Regex Domain();

    [GeneratedRegex(@"^[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*\z")]
    private static partial Regex PathComponent();
}
