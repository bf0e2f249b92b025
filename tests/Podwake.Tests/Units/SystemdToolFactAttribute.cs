using Xunit;

namespace Podwake.Tests.Units;

/// <summary>
/// A fact that runs a real systemd tool. Skipped, with the reason, when the tool is missing; under CI
/// (<c>CI=true</c>) it runs anyway and fails, since a skip there would hide a broken machine.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SystemdToolFactAttribute : FactAttribute
{
    public SystemdToolFactAttribute(string tool)
    {
        if (!IsCi && !File.Exists(tool))
        {
            Skip = $"{tool} is not installed (apt-get install systemd)";
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
