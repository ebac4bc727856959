//! The geometry of the portal's small bar charts: a value axis with round ticks, and where
//! each bar stands. Plain arithmetic kept out of the components so it is tested natively
//! (the components only turn these rectangles into SVG).
//!
//! Coordinates are SVG user units: `x` grows rightwards and `y` downwards from the top left
//! corner of the drawing, so a column of height `h` standing on the plot's floor starts at
//! `y = floor - h`.

/// A rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A value axis from zero to a round top, and the ticks to label on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    /// The value at the top of the plot; at least 1, so nothing divides by zero.
    pub top: u64,
    /// Tick values from 0 to `top`, evenly spaced by 1, 2 or 5 times a power of ten.
    pub ticks: Vec<u64>,
}

impl Axis {
    /// The axis for values up to `max` in at most `steps` steps (4 reads well on a small
    /// chart): the smallest round step that covers `max` in that many.
    #[must_use]
    pub fn up_to(max: u64, steps: u64) -> Axis {
        if max == 0 {
            return Axis {
                top: 1,
                ticks: vec![0],
            };
        }
        let wanted = max.div_ceil(steps.max(1));
        let mut magnitude: u64 = 1;
        while magnitude.saturating_mul(10) <= wanted {
            magnitude *= 10;
        }
        let step = [1, 2, 5, 10]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|step| *step >= wanted)
            .unwrap_or(wanted);
        let top = max.div_ceil(step) * step;
        Axis {
            top,
            ticks: (0..=top / step).map(|i| i * step).collect(),
        }
    }

    /// How far up the axis `value` is, from 0.0 to 1.0 (values above the top are cut).
    #[must_use]
    pub fn fraction(&self, value: u64) -> f64 {
        #[allow(clippy::cast_precision_loss)] // chart values are far below 2^53
        let fraction = value.min(self.top) as f64 / self.top as f64;
        fraction
    }

    /// The height at which `value` lies on `plot`.
    #[must_use]
    pub fn y(&self, plot: Rect, value: u64) -> f64 {
        plot.y + plot.height * (1.0 - self.fraction(value))
    }
}

/// Share of a slot the group of columns fills; the rest is the gap between groups.
const GROUP_SHARE: f64 = 0.7;

/// Columns standing on `plot`'s floor: one slot per group, left to right, each group's
/// columns side by side in the middle of its slot, each as tall as its value on `axis` and
/// at most `widest` wide (so a chart of one month is not one slab).
#[must_use]
pub fn columns(plot: Rect, axis: &Axis, groups: &[Vec<u64>], widest: f64) -> Vec<Vec<Rect>> {
    let slot = slot_width(plot, groups.len());
    groups
        .iter()
        .enumerate()
        .map(|(i, values)| {
            #[allow(clippy::cast_precision_loss)] // a handful of columns
            let count = values.len().max(1) as f64;
            let width = (slot * GROUP_SHARE / count).min(widest);
            let left = slot_centre(plot, groups.len(), i) - width * count / 2.0;
            values
                .iter()
                .enumerate()
                .map(|(j, value)| {
                    let height = plot.height * axis.fraction(*value);
                    #[allow(clippy::cast_precision_loss)]
                    let x = left + width * j as f64;
                    Rect {
                        x,
                        y: plot.y + plot.height - height,
                        width,
                        height,
                    }
                })
                .collect()
        })
        .collect()
}

/// The width of each of `count` equal slots across `plot`.
#[must_use]
pub fn slot_width(plot: Rect, count: usize) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let width = plot.width / count.max(1) as f64;
    width
}

/// The middle of slot `i` of `count` across `plot`, where its label goes.
#[must_use]
pub fn slot_centre(plot: Rect, count: usize, i: usize) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let centre = plot.x + slot_width(plot, count) * (i as f64 + 0.5);
    centre
}

/// Label every n-th slot so labels `label_width` wide do not run into each other.
#[must_use]
pub fn label_every(slot: f64, label_width: f64) -> usize {
    if slot <= 0.0 {
        return 1;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // small and positive
    let every = (label_width / slot).ceil().max(1.0) as usize;
    every
}

/// Horizontal bars, one per row of `plot` (top to bottom), growing from its left edge to
/// their share of `max`; each fills the lower half of its row, leaving the upper half for
/// its label.
#[must_use]
pub fn bars(plot: Rect, values: &[u64]) -> Vec<Rect> {
    let axis = Axis {
        top: values.iter().copied().max().unwrap_or(0).max(1),
        ticks: Vec::new(),
    };
    #[allow(clippy::cast_precision_loss)]
    let row = plot.height / values.len().max(1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            #[allow(clippy::cast_precision_loss)]
            let top = plot.y + row * i as f64;
            Rect {
                x: plot.x,
                y: top + row / 2.0,
                width: plot.width * axis.fraction(*value),
                height: row / 2.0 - row / 10.0,
            }
        })
        .collect()
}

/// A coordinate for an SVG attribute: at most one decimal, none when whole (`12`, `12.5`).
#[must_use]
pub fn coordinate(value: f64) -> String {
    let tenths = (value * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLOT: Rect = Rect {
        x: 40.0,
        y: 10.0,
        width: 400.0,
        height: 200.0,
    };

    #[test]
    fn axes_end_on_a_round_top() {
        let cases: [(u64, u64, u64, &[u64]); 8] = [
            (0, 4, 1, &[0]),
            (1, 4, 1, &[0, 1]),
            (3, 4, 3, &[0, 1, 2, 3]),
            (7, 4, 8, &[0, 2, 4, 6, 8]),
            (10, 4, 10, &[0, 5, 10]),
            (123_456, 4, 150_000, &[0, 50_000, 100_000, 150_000]),
            (99_999, 4, 100_000, &[0, 50_000, 100_000]),
            (2_001, 4, 3_000, &[0, 1_000, 2_000, 3_000]),
        ];
        for (max, steps, top, ticks) in cases {
            let axis = Axis::up_to(max, steps);
            assert_eq!((axis.top, axis.ticks.as_slice()), (top, ticks), "{max}");
            assert!(axis.top >= max);
            assert!(
                axis.ticks.len() as u64 <= steps + 2,
                "{max}: {:?}",
                axis.ticks
            );
        }
        let axis = Axis::up_to(80, 4);
        assert_eq!(axis.fraction(40), 0.5);
        assert_eq!(axis.fraction(1_000), 1.0, "cut at the top");
        assert_eq!(axis.y(PLOT, 0), 210.0, "zero on the floor");
        assert_eq!(axis.y(PLOT, 80), 10.0, "the top at the plot's top");
    }

    #[test]
    fn columns_stand_on_the_floor_in_their_slots() {
        let axis = Axis::up_to(100, 4);
        let groups = vec![vec![100, 50], vec![0, 25]];
        let placed = columns(PLOT, &axis, &groups, 100.0);
        // Two slots of 200: each group is 140 wide, centred, so two columns of 70.
        assert_eq!(
            placed[0][0],
            Rect {
                x: 70.0,
                y: 10.0,
                width: 70.0,
                height: 200.0
            }
        );
        assert_eq!(
            placed[0][1],
            Rect {
                x: 140.0,
                y: 110.0,
                width: 70.0,
                height: 100.0
            }
        );
        assert_eq!(placed[1][0].height, 0.0);
        assert_eq!(placed[1][0].y, 210.0);
        assert_eq!(placed[1][1].x, 340.0);
        for rect in placed.iter().flatten() {
            assert!(rect.x >= PLOT.x && rect.x + rect.width <= PLOT.x + PLOT.width);
            assert_eq!(rect.y + rect.height, PLOT.y + PLOT.height);
        }
        assert_eq!(slot_centre(PLOT, 2, 1), 340.0);
        assert!(columns(PLOT, &axis, &[], 100.0).is_empty());
        // One slot of 400: two columns of 30 at most, still side by side in the middle.
        let narrow = columns(PLOT, &axis, &[vec![10, 20]], 30.0);
        assert_eq!((narrow[0][0].x, narrow[0][0].width), (210.0, 30.0));
        assert_eq!(narrow[0][1].x, 240.0);
    }

    #[test]
    fn labels_thin_out_when_slots_are_narrow() {
        assert_eq!(label_every(35.0, 30.0), 1);
        assert_eq!(label_every(17.0, 30.0), 2);
        assert_eq!(label_every(9.0, 30.0), 4);
        assert_eq!(label_every(0.0, 30.0), 1);
    }

    #[test]
    fn bars_grow_to_their_share_of_the_largest() {
        let placed = bars(PLOT, &[60, 30, 15, 0]);
        assert_eq!(placed[0].width, 400.0);
        assert_eq!(placed[1].width, 200.0);
        assert_eq!(placed[3].width, 0.0);
        // Rows of 50: each bar in the lower half of its row.
        assert_eq!((placed[1].y, placed[1].height), (85.0, 20.0));
        assert!(placed.iter().all(|r| r.x == PLOT.x));
        assert!(bars(PLOT, &[]).is_empty());
        assert_eq!(bars(PLOT, &[0])[0].width, 0.0);
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(coordinate(12.0), "12");
        assert_eq!(coordinate(12.04), "12");
        assert_eq!(coordinate(12.46), "12.5");
        assert_eq!(coordinate(-0.5), "-0.5");
    }
}
