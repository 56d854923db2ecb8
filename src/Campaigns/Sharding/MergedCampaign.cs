namespace HighMemConcurrency.Campaigns;

/// <summary>The campaign a set of shards adds up to, as the unsharded run would have reported it.</summary>
/// <param name="Plan">The campaign's jobs, planned again from the shards' identity.</param>
/// <param name="Request">The request the shards were run with.</param>
/// <param name="Outcomes">Each job as a serial run assembles it.</param>
/// <param name="StartedAt">When the first shard started.</param>
/// <param name="Elapsed">The longest shard's time.</param>
internal sealed record MergedCampaign(TestPlan Plan, CampaignRequest Request, IReadOnlyList<JobOutcome> Outcomes, DateTimeOffset StartedAt, TimeSpan Elapsed);
