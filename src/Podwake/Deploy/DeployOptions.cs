namespace Podwake.Deploy;

/// <summary>How <c>podwake deploy</c> was asked to run.</summary>
internal sealed record DeployOptions
{
    /// <summary>Install into the system manager (<c>--system</c>) rather than a user's.</summary>
    public bool System { get; init; }

    /// <summary>Print the plan and change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>How often <c>podwake-update.timer</c> runs (<c>--update-interval</c>); null: as installed, daily for a new timer.</summary>
    public TimeSpan? UpdateInterval { get; init; }

    /// <summary>The podwake binary the activator units run: the one running deploy, so a test build deploys itself.</summary>
    public required string PodwakePath { get; init; }
}
