namespace Podwake.Updates;

/// <summary>A user and password for one registry, and the auth file they came from (named in errors).</summary>
internal sealed record RegistryCredentials(string User, string Password, string Source)
{
    /// <summary>Hides the password in logs and test output.</summary>
    public override string ToString() => $"{User} (from {Source})";
}
