//! Kubernetes Quantity. STUB
