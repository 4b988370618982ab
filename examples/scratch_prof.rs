use coro_simul::{Exhibition, lanes::Lane};
fn main() {
    let ex = Exhibition::builder().opponents(1000).pairs(30).build().unwrap();
    for _ in 0..300 { std::hint::black_box(Lane::AsyncAwait.summary(&ex).unwrap()); }
}
