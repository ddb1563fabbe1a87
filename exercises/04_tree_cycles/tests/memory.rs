//! The graded contract of `tree_cycles`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::rc::Rc;

use tree_cycles::{Node, build_tree, count_nodes};

memprobe::install!();

/// Follows child indexes down from `node`.
fn descend(node: &Rc<Node>, indexes: &[usize]) -> Rc<Node> {
    let mut node = Rc::clone(node);
    for &i in indexes {
        node = node.child(i).expect("the child exists");
    }
    node
}

/// Builds a tree of 4 levels with 3 children per node (121 nodes), counts
/// it, and drops it.
fn build_count_and_drop() -> usize {
    let root = build_tree(black_box(4), black_box(3));
    let nodes = count_nodes(&root);
    drop(root);
    nodes
}

/// Builds the same tree, keeps one leaf, and drops the root.
fn keep_one_leaf() -> Rc<Node> {
    let root = build_tree(black_box(4), black_box(3));
    let leaf = descend(&root, &[2, 0, 1, 2]);
    drop(root);
    leaf
}

#[test]
fn navigates_from_a_leaf_to_the_root() {
    let root = build_tree(3, 2);
    assert_eq!(count_nodes(&root), 15);
    assert_eq!(root.name(), "root");
    assert!(root.parent().is_none());
    assert_eq!(root.child_count(), 2);
    let leaf = descend(&root, &[1, 0, 1]);
    assert_eq!(leaf.child_count(), 0);
    assert_eq!(leaf.path(), "root/1/0/1");
    let parent = leaf.parent().expect("a leaf has a parent");
    assert_eq!(parent.path(), "root/1/0");
    assert!(Rc::ptr_eq(&parent, &descend(&root, &[1, 0])));
    let added = Node::add_child(&parent, "extra");
    assert_eq!(added.path(), "root/1/0/extra");
    assert_eq!(parent.child_count(), 3);
}

#[test]
fn dropping_the_root_frees_every_node() {
    let nodes = memprobe::assert_live_bytes!(
        == 0,
        build_count_and_drop(),
        "child -> parent is a strong Rc, so parent and child own each other and no count reaches zero: hold the parent as a Weak<Node> (Rc::downgrade) and upgrade() it in parent()"
    );
    assert_eq!(nodes, 121);
}

#[test]
fn a_kept_leaf_does_not_keep_the_tree_alive() {
    // The whole tree is about 10 KB. Holding one leaf may keep that leaf,
    // its name, and at most the bare allocation of its parent (which a Weak
    // pins until it is dropped), not the tree.
    let leaf = memprobe::assert_live_bytes!(
        <= 512,
        keep_one_leaf(),
        "a parent pointer should not own its parent: with a Weak<Node> the tree is freed when the root goes, and the leaf's parent() becomes None"
    );
    assert_eq!(leaf.name(), "2");
    assert_eq!(leaf.child_count(), 0);
    assert!(
        leaf.parent().is_none(),
        "the parent was dropped with the root"
    );
}
