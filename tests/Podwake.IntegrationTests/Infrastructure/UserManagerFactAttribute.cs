using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that needs podman and a running systemd user manager for the test user. Skipped with the reason when either
/// is missing — except under CI (<c>CI=true</c>), where it runs and fails loudly instead.
/// </summary>
/// <remarks>
/// With <see cref="RunsAs.Root"/> or <see cref="RunsAs.Rootless"/>, it is also skipped when
/// the tests run as the other user, CI or not: its body would do the other runner's scenario (as root, a rootless
/// test's refused deploy would succeed and create things). scripts/test never skips it that way (it filters such
/// tests out of the other run by their <c>runs-as</c> trait), and under CI it counts any skip as a failure.
/// </remarks>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UserManagerFactAttribute : FactAttribute
{
    public UserManagerFactAttribute(RunsAs runsAs = RunsAs.Anyone)
    {
        if (runsAs == RunsAs.Root && !Environment.IsPrivilegedProcess)
        {
            Skip = "root's case: scripts/test runs it in the integration run as root";
        }
        else if (runsAs == RunsAs.Rootless && Environment.IsPrivilegedProcess)
        {
            Skip = "the rootless case: scripts/test runs it in the integration run as the rootless test user";
        }
        else if (!PodmanAvailability.IsCi && UserManagerAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
