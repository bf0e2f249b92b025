using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that needs a working podman (rootful or rootless, whoever runs the tests). Skipped with the reason when
/// podman is unusable — except under CI (<c>CI=true</c>), where it runs and fails loudly instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PodmanFactAttribute : FactAttribute
{
    /// <param name="runsAs">As <see cref="UserManagerFactAttribute"/>: a test for one runner only is skipped in the other's run (which scripts/test filters it out of by its runs-as trait).</param>
    public PodmanFactAttribute(RunsAs runsAs = RunsAs.Anyone)
    {
        if (runsAs == RunsAs.Root && !Environment.IsPrivilegedProcess)
        {
            Skip = "root's case: scripts/test runs it in the integration run as root";
        }
        else if (runsAs == RunsAs.Rootless && Environment.IsPrivilegedProcess)
        {
            Skip = "the rootless case: scripts/test runs it in the integration run as the rootless test user";
        }
        else if (!PodmanAvailability.IsCi && PodmanAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
