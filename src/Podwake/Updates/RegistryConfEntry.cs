namespace Podwake.Updates;

/// <summary>One <c>[[registry]]</c> table of registries.conf, as far as podwake reads it.</summary>
/// <param name="Prefix">What image names it applies to: <c>HOST[:PORT][/PATH]</c> or <c>*.DOMAIN</c>; the location when not given.</param>
/// <param name="Location">Where it is (podwake does not rewrite a prefix to another location).</param>
/// <param name="Insecure">Plain HTTP or an unverified certificate are acceptable.</param>
/// <param name="Source">The file and line of the table.</param>
internal sealed record RegistryConfEntry(string Prefix, string Location, bool Insecure, string Source)
{
    /// <summary>containers/image's <c>refMatchingPrefix</c> for a name without tag or digest: the prefix, or the prefix then '/'.</summary>
    public bool Matches(string name)
    {
        if (Prefix.StartsWith("*.", StringComparison.Ordinal))
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            var host = slash >= 0 ? name[..slash] : name;
            return host.EndsWith(Prefix[1..], StringComparison.Ordinal);
        }

        return name == Prefix || name.StartsWith(Prefix + "/", StringComparison.Ordinal);
    }
}
