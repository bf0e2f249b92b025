using System.Text;

namespace Podwake.Updates;

/// <summary>One <c>auths</c> entry of an auth file: <c>auth</c> is base64(user:password); docker's <c>identitytoken</c> is noted only.</summary>
internal sealed record AuthEntry(string? Auth, string? IdentityToken)
{
    public RegistryCredentials? Decode(string path)
    {
        if (string.IsNullOrEmpty(Auth))
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(Auth));
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{path}: an \"auth\" value is not base64; log in again with podman login");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? new RegistryCredentials(text[..colon], text[(colon + 1)..], path) : null;
    }
}
