namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// Which of scripts/test's two integration runs a test belongs to: the one as root or the one as the rootless test
/// user. A test whose outcome differs between the two (rootless podwake refuses what root may do) is two tests, one
/// per runner, each marked with its runner in <see cref="UserManagerFactAttribute"/> and with
/// <c>[Trait("runs-as", "root")]</c> or <c>[Trait("runs-as", "rootless")]</c>, by which scripts/test leaves it out
/// of the other run.
/// </summary>
public enum RunsAs
{
    /// <summary>Either runner: the test holds for both.</summary>
    Anyone,

    /// <summary>Only as root (<see cref="Environment.IsPrivilegedProcess"/>).</summary>
    Root,

    /// <summary>Only as a user other than root.</summary>
    Rootless,
}
