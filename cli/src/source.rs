//! The text of an input file, split into lines for source excerpts.

/// An input file: its display name and its lines (without line terminators).
#[derive(Debug, Clone)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    lines: Vec<&'a str>,
}

impl<'a> SourceFile<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let lines = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        SourceFile { name, lines }
    }

    /// The 1-based `line`, if the file has it.
    pub fn line(&self, line: u32) -> Option<&'a str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.lines.get(index).copied()
    }

    /// The text between two 1-based (line, column) positions, columns counted in characters.
    /// `None` when the range is not inside the file.
    pub fn slice(&self, start: (u32, u32), end: (u32, u32)) -> Option<String> {
        if end < start {
            return None;
        }
        let mut out = String::new();
        for line_no in start.0..=end.0 {
            let line = self.line(line_no)?;
            let from = if line_no == start.0 { start.1 } else { 1 };
            let to = if line_no == end.0 { Some(end.1) } else { None };
            let len = line.chars().count() as u32;
            if from == 0 || from > len + 1 || to.is_some_and(|to| to == 0 || to > len + 1) {
                return None;
            }
            let take = to.map_or(len + 1 - from, |to| to.saturating_sub(from));
            out.extend(line.chars().skip(from as usize - 1).take(take as usize));
            if line_no != end.0 {
                out.push('\n');
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices() {
        let f = SourceFile::new("f", "ab\r\ncdé\n");
        assert_eq!(f.line(1), Some("ab"));
        assert_eq!(f.line(0), None);
        assert_eq!(f.line(4), None);
        assert_eq!(f.slice((2, 2), (2, 4)).as_deref(), Some("dé"));
        assert_eq!(f.slice((1, 2), (2, 2)).as_deref(), Some("b\nc"));
        assert_eq!(f.slice((1, 3), (1, 3)).as_deref(), Some(""));
        assert_eq!(f.slice((1, 5), (1, 6)), None);
        assert_eq!(f.slice((2, 1), (1, 1)), None);
    }
}
