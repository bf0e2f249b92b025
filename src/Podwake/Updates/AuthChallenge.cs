using System.Net.Http.Headers;
using System.Text;

namespace Podwake.Updates;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> challenge (RFC 7235; the registry token spec,
/// distribution/docs/spec/auth/token.md): <c>Basic realm="…"</c> or <c>Bearer realm="…",service="…",scope="…"</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The first Bearer challenge, else the first Basic one, else the first (podman prefers Bearer too).</summary>
    public static AuthChallenge? Choose(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var challenges = headers.Select(header => Parse(header.Scheme, header.Parameter)).ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic) ?? challenges.FirstOrDefault();
    }

    /// <summary>Parses the parameters after the scheme: <c>key=value</c> or <c>key="quoted \" value"</c>, comma separated.</summary>
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameters ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
            {
                i++;
            }

            var key = text[keyStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
            {
                continue; // a token68 or a bare word: nothing a registry sends that we use
            }

            i++;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i++]);
                }
            }

            if (key.Length > 0)
            {
                result[key] = value.ToString().Trim();
            }
        }

        return new AuthChallenge(scheme, result);
    }
}
