namespace Podwake.Updates;

/// <summary>
/// What the auth files hold for one image: credentials, or none; and when an entry asks for what podwake cannot do
/// (a credential helper, docker's credsStore, an identity token), which one, so that a 401 can say so.
/// </summary>
internal sealed record AuthLookup(RegistryCredentials? Credentials, string? Unsupported)
{
    public static AuthLookup None { get; } = new(null, null);
}
