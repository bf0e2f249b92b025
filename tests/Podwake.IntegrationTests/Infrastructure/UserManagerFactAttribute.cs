using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that needs podman and a running systemd user manager for the test user. Skipped with the reason when either
/// is missing — except under CI (<c>CI=true</c>), where it runs and fails loudly instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UserManagerFactAttribute : FactAttribute
{
    public UserManagerFactAttribute()
    {
        if (!PodmanAvailability.IsCi && UserManagerAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
