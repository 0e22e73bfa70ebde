using SkiaSharp;

namespace Phota.Emulator.Imaging;

/// <summary>
/// A deterministic landscape drawn with Skia (sky gradient, sun, two ranges of hills, furrowed fields; a
/// head-and-shoulders figure in portrait-shaped images) whose palette and layout vary with the seed. Smooth shading
/// keeps both PNG and JPEG output small.
/// </summary>
internal static class SyntheticScene
{
    public static void Draw(SKCanvas canvas, int width, int height, int seed)
    {
        var random = new SplitMix64((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0x1234567);
        float hue = random.NextFloat() * 360f;
        float warmth = random.NextFloat();
        SKColor skyTop = Hsv(200f + 40f * random.NextFloat(), 0.55f, 0.45f + 0.25f * random.NextFloat());
        SKColor skyHorizon = Hsv(20f + 30f * warmth, 0.25f + 0.35f * warmth, 0.95f);
        SKColor sun = Hsv(40f + 15f * random.NextFloat(), 0.15f + 0.2f * warmth, 1f);
        SKColor farHill = Hsv(hue, 0.25f, 0.45f + 0.15f * random.NextFloat());
        SKColor nearHill = Hsv(hue + 60f + 60f * random.NextFloat(), 0.45f, 0.35f + 0.15f * random.NextFloat());
        SKColor figure = Hsv(hue + 180f, 0.35f, 0.25f);

        float minSide = Math.Min(width, height);
        var sunCentre = new SKPoint(width * (0.15f + 0.7f * random.NextFloat()), height * (0.12f + 0.25f * random.NextFloat()));
        float sunRadius = Math.Max(1f, minSide * (0.05f + 0.06f * random.NextFloat()));
        float farBaseline = height * (0.5f + 0.08f * random.NextFloat());
        Hill far = Hill.Next(random);
        float nearBaseline = height * (0.7f + 0.06f * random.NextFloat());
        Hill near = Hill.Next(random);
        float furrowPeriod = Math.Max(8f, minSide * (0.02f + 0.03f * random.NextFloat()));

        // Only opaque solid fills: Skia fills them at memory speed, where gradient shaders and blending cost several
        // times the whole encode at 4K. Gradients are bands of solid colour, fine enough that a step is a level or two.
        using var paint = new SKPaint { IsAntialias = true };
        canvas.Clear(skyHorizon); // The pixels may hold an earlier picture.
        Bands(canvas, paint, width, 0f, height * 0.6f, 128, skyTop, skyHorizon, furrowed: false);

        paint.Color = sun;
        canvas.DrawCircle(sunCentre, sunRadius, paint);

        using SKPath farPath = far.Path(width, height, farBaseline, height * 0.07f);
        paint.Color = farHill;
        canvas.DrawPath(farPath, paint);

        // Fields darken towards the viewer, in furrows that widen as they come closer.
        using SKPath nearPath = near.Path(width, height, nearBaseline, height * 0.05f);
        canvas.Save();
        canvas.ClipPath(nearPath, antialias: true);
        float fieldTop = nearBaseline - height * 0.1f;
        int furrows = Math.Clamp((int)((height - fieldTop) / furrowPeriod) * 2, 2, 128);
        Bands(canvas, paint, width, fieldTop, height, furrows, Scale(nearHill, 0.85f), Scale(nearHill, 0.55f), furrowed: true);
        canvas.Restore();

        if (height > width * 1.1f)
        {
            paint.Color = figure;
            float headX = width * 0.5f, headY = height * 0.59f;
            canvas.DrawOval(new SKRect(width * 0.08f, height * 0.72f, width * 0.92f, height * 1.44f), paint);
            canvas.DrawRect(headX - width * 0.055f, headY, width * 0.11f, height * 0.2f, paint);
            canvas.DrawCircle(headX, headY, width * 0.13f, paint);
        }
    }

    /// <summary>
    /// A vertical gradient as horizontal bands; furrowed bands alternate light and dark and grow towards the bottom.
    /// </summary>
    private static void Bands(SKCanvas canvas, SKPaint paint, int width, float top, float bottom, int count, SKColor from, SKColor to, bool furrowed)
    {
        float y = top;
        for (int band = 0; band < count; band++)
        {
            float t = band / (count - 1f);
            float next = furrowed ? top + (bottom - top) * (band + 1f) * (band + 2f) / (count * (count + 1f)) : top + (bottom - top) * (band + 1f) / count;
            SKColor colour = Lerp(from, to, t);
            paint.Color = furrowed && band % 2 == 1 ? Scale(colour, 0.9f) : colour;
            // Each band overlaps the next by a pixel, so antialiased edges never let the background through.
            canvas.DrawRect(0, y, width, next - y + 1f, paint);
            y = next;
        }
    }

    private static SKColor Lerp(SKColor from, SKColor to, float t) =>
        new(Lerp(from.Red, to.Red, t), Lerp(from.Green, to.Green, t), Lerp(from.Blue, to.Blue, t));

    private static byte Lerp(byte from, byte to, float t) => (byte)(from + (to - from) * t + 0.5f);

    private static SKColor Hsv(float hue, float saturation, float value) =>
        SKColor.FromHsv((hue % 360f + 360f) % 360f, saturation * 100f, value * 100f);

    private static SKColor Scale(SKColor colour, float factor) =>
        new((byte)Math.Min(255f, colour.Red * factor), (byte)Math.Min(255f, colour.Green * factor), (byte)Math.Min(255f, colour.Blue * factor));

    /// <summary>A ridge line: two sine waves of seeded frequency and phase.</summary>
    private readonly record struct Hill(float Cycles1, float Cycles2, float Phase1, float Phase2)
    {
        public static Hill Next(SplitMix64 random) =>
            new(1f + 2f * random.NextFloat(), 3f + 4f * random.NextFloat(), 2f * MathF.PI * random.NextFloat(), 2f * MathF.PI * random.NextFloat());

        /// <summary>The ridge closed down to the bottom edge, sampled every few pixels (Skia antialiases the edge).</summary>
        public SKPath Path(int width, int height, float baseline, float amplitude)
        {
            var path = new SKPath();
            path.MoveTo(0, height);
            int step = Math.Max(1, width / 512);
            for (int x = 0; ; x = Math.Min(width, x + step))
            {
                float angle = 2f * MathF.PI * x / width;
                path.LineTo(x, baseline + amplitude * (MathF.Sin(Cycles1 * angle + Phase1) + 0.4f * MathF.Sin(Cycles2 * angle + Phase2)));
                if (x == width)
                    break;
            }
            path.LineTo(width, height);
            path.Close();
            return path;
        }
    }

    /// <summary>A small, stable pseudo-random sequence, so a seed draws the same scene on every runtime.</summary>
    private sealed class SplitMix64(ulong state)
    {
        private ulong _state = state;

        public float NextFloat()
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 40) / (float)(1UL << 24);
        }
    }
}
