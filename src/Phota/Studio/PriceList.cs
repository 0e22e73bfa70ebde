using Phota.Models;

namespace Phota.Studio;

/// <summary>
/// Prices published in the API's release notes, for -WhatIf estimates. Operations whose price depends on the base
/// model (edit, generate) have no published figure here: their estimate is null ("unknown").
/// </summary>
public static class PriceList
{
    public const decimal FullTrainProfile = 2.90m;
    public const decimal QuickTrainProfile = 1.49m;
    public const decimal EnhanceOrRemixPerImage = 0.12m;
    public const decimal EnhanceOrRemixPerImageWithIdentity = 0.15m;

    public static decimal ProfileTraining(TrainingTier tier) => tier == TrainingTier.Fast ? QuickTrainProfile : FullTrainProfile;

    /// <summary>
    /// The most a request can cost, in USD, or null when the release notes give no price. Identity pricing applies
    /// when a profile is recognised in the output, so with profile ids the higher rate is assumed.
    /// </summary>
    public static decimal? Estimate(StudioRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var withIdentity = request switch
        {
            EnhanceRequest e => e.ProfileIds.Count > 0,
            RemixRequest r => r.ProfileIds.Count > 0,
            _ => false,
        };
        return request.Operation == StudioOperation.Enhance || request.Operation == StudioOperation.Remix
            ? request.NumOutputImages * (withIdentity ? EnhanceOrRemixPerImageWithIdentity : EnhanceOrRemixPerImage)
            : null;
    }
}
