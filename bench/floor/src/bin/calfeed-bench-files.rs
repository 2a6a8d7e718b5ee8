//! The file-system floor: creates the files a build writes (the same paths and sizes, read from
//! a listing of `size<TAB>path` lines) with nothing else around it: no temporary names, no
//! renames, no flushing to disk. What is left is what the file system charges for creating
//! that many files of those sizes.
//!
//! usage: calfeed-bench-files LISTING OUT

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [listing, out] = args.as_slice() else {
        eprintln!("usage: calfeed-bench-files LISTING OUT");
        return ExitCode::from(2);
    };
    match run(listing, PathBuf::from(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("calfeed-bench-files: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(listing: &str, out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let listing = fs::read_to_string(listing)?;
    let mut files = Vec::new();
    let mut largest = 0;
    for line in listing.lines() {
        let (size, path) = line.split_once('\t').ok_or("a line of the listing has no tab")?;
        let size: usize = size.parse()?;
        largest = largest.max(size);
        files.push((size, path));
    }
    let bytes = vec![b'x'; largest];
    fs::create_dir_all(&out)?;
    let mut folders = std::collections::HashSet::new();
    for (size, path) in files {
        let target = out.join(path);
        if let Some(folder) = target.parent()
            && folders.insert(folder.to_owned())
        {
            fs::create_dir_all(folder)?;
        }
        fs::write(&target, &bytes[..size])?;
    }
    Ok(())
}
