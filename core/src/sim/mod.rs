//! Simulation. STUB
