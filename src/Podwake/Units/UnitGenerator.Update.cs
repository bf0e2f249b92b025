using System.Globalization;
using Podwake.Specs;

namespace Podwake.Units;

/// <content>
/// The periodic <c>podwake update</c> of a manager's deployed services, shaped after podman's own
/// <c>podman-auto-update.timer</c> and <c>.service</c> (podman 4.3): daily, up to 15 minutes late at random so that
/// hosts do not all ask a registry at once, and persistent (a run missed while the host was off happens at the next
/// start). Deploy installs the pair into a manager while one of its services has <c>update:</c> set.
/// </content>
internal static partial class UnitGenerator
{
    public const string UpdateServiceName = "podwake-update.service";

    public const string UpdateTimerName = "podwake-update.timer";

    /// <summary>podman-auto-update.timer's interval.</summary>
    public static readonly TimeSpan DefaultUpdateInterval = TimeSpan.FromDays(1);

    /// <summary>podman-auto-update.timer's RandomizedDelaySec=900.</summary>
    private static readonly TimeSpan MaxRandomizedDelay = TimeSpan.FromMinutes(15);

    /// <summary>The service and the timer, in that order; <paramref name="interval"/> null: daily.</summary>
    public static IReadOnlyList<GeneratedUnit> GenerateUpdateTimer(UnitGeneratorOptions options, TimeSpan? interval = null) =>
    [
        new GeneratedUnit(UpdateServiceName, UpdateService(options)),
        new GeneratedUnit(UpdateTimerName, UpdateTimer(interval ?? DefaultUpdateInterval)),
    ];

    private static UnitFile UpdateService(UnitGeneratorOptions options)
    {
        var unit = NewUnit("podwake update of the deployed services with update: set");
        if (options.System)
        {
            // A registry check needs the network; a user manager has no network-online.target.
            unit.Add(UnitSections.Unit, UnitKeys.Wants, "network-online.target");
            unit.Add(UnitSections.Unit, UnitKeys.After, "network-online.target");
        }

        unit.Add(UnitSections.Service, UnitKeys.Type, "oneshot");
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine([options.PodwakePath, "update"]));
        return unit;
    }

    private static UnitFile UpdateTimer(TimeSpan interval)
    {
        var unit = NewUnit("podwake update of the deployed services with update: set, periodically");
        if (interval == DefaultUpdateInterval)
        {
            unit.Add(UnitSections.Timer, UnitKeys.OnCalendar, "daily");
            unit.Add(UnitSections.Timer, UnitKeys.RandomizedDelaySec, Seconds(MaxRandomizedDelay));
            unit.Add(UnitSections.Timer, UnitKeys.Persistent, "true");
        }
        else
        {
            // Every INTERVAL from the timer's start (deploy, boot), then from the last run; late by at most a tenth of it.
            unit.Add(UnitSections.Timer, UnitKeys.OnActiveSec, Duration.Format(interval));
            unit.Add(UnitSections.Timer, UnitKeys.OnUnitActiveSec, Duration.Format(interval));
            unit.Add(UnitSections.Timer, UnitKeys.RandomizedDelaySec, Seconds(TimeSpan.FromTicks(Math.Min(MaxRandomizedDelay.Ticks, interval.Ticks / 10))));
        }

        unit.Add(UnitSections.Install, UnitKeys.WantedBy, "timers.target");
        return unit;
    }

    private static string Seconds(TimeSpan value) => ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
