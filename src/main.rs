//! The portal's entry point when built by Trunk: everything else is in the library.

fn main() {
    console_error_panic_hook::set_once();
    rapport::start();
}
